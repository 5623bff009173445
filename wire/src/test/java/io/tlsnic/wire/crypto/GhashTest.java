package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The two GHASH implementations agree, and the fast one is in use under the project's JVM flags. */
class GhashTest
{
    @Test
    void shouldUseTheJdkIntrinsicGhashUnderTheProjectJvmFlags()
    {
        assertEquals("jdk-intrinsic", Ghash.implementationName(),
            "the JVM flags must include --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED");
    }

    @Test
    void shouldAgreeWithThePortableGhashOnRandomInputs()
    {
        final SplittableRandom random = new SplittableRandom(128);
        for (int i = 0; i < 500; i++)
        {
            final byte[] h = new byte[16];
            random.nextBytes(h);
            final byte[] data = new byte[16 * random.nextInt(70)];
            random.nextBytes(data);
            final Ghash fast = Ghash.create(h);
            final Ghash slow = new PortableGhash(h);
            fast.updateBlocks(data, 0, data.length);
            slow.updateBlocks(data, 0, data.length);
            final byte[] a = new byte[16];
            final byte[] b = new byte[16];
            fast.digest(a, 0);
            slow.digest(b, 0);
            assertArrayEquals(b, a, "input of " + data.length + " bytes");
            fast.reset();
            slow.reset();
            fast.digest(a, 0);
            slow.digest(b, 0);
            assertArrayEquals(new byte[16], a);
            assertArrayEquals(new byte[16], b);
        }
    }
}
