package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental ChaCha20-Poly1305 state gives SunJCE's one-shot ciphertext and tag for every split of a record
 * into segments (1 byte, inside a 64-byte block, across blocks, empty segments), both ways; rejects a tampered
 * record; and a state rebuilt by absorbing a prefix continues identically.
 */
class ChaCha20Poly1305StreamTest
{
    private static byte[] oneShot(final int mode, final byte[] key, final byte[] nonce, final byte[] aad,
        final byte[] in) throws Exception
    {
        final Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        c.updateAAD(aad);
        return c.doFinal(in);
    }

    /** Feeds {@code in} in random segments (some empty, some of 1 byte) through the state. */
    private static byte[] streamed(final StreamingAead s, final byte[] in, final int length,
        final SplittableRandom r)
    {
        final byte[] out = new byte[length];
        int p = 0;
        while (p < length)
        {
            final int kind = r.nextInt(4);
            final int n = Math.min(length - p, kind == 0 ? 0 : kind == 1 ? 1 : kind == 2 ? r.nextInt(64) : r.nextInt(1500));
            s.update(in, p, n, out, p);
            p += n;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldMatchTheOneShotCipherForEverySplitBothWays(final long seed) throws Exception
    {
        final SplittableRandom r = new SplittableRandom(seed);
        final byte[] key = new byte[32];
        r.nextBytes(key);
        final ChaCha20Poly1305Stream s = new ChaCha20Poly1305Stream(key);
        for (int record = 0; record < 40; record++)
        {
            final byte[] nonce = new byte[12];
            r.nextBytes(nonce);
            final byte[] aad = new byte[r.nextBoolean() ? 13 : 5];
            r.nextBytes(aad);
            final int length = record == 0 ? 0 : r.nextInt(record < 20 ? 300 : 17000);
            final byte[] plain = new byte[length];
            r.nextBytes(plain);
            final byte[] sealed = oneShot(Cipher.ENCRYPT_MODE, key, nonce, aad, plain);

            s.start(true, nonce, 0, aad, 0, aad.length);
            final byte[] ct = streamed(s, plain, length, r);
            final byte[] tag = new byte[16];
            s.finishTag(tag, 0);
            assertArrayEquals(sealed, concat(ct, tag), "seal, record " + record + " of " + length + " bytes");

            s.start(false, nonce, 0, aad, 0, aad.length);
            final byte[] back = streamed(s, sealed, length, r);
            assertTrue(s.verifyTag(sealed, length), "open, record " + record);
            assertArrayEquals(plain, back);

            if (length > 0)
            {
                final byte[] bad = sealed.clone();
                bad[r.nextInt(bad.length)] ^= 0x10;
                s.start(false, nonce, 0, aad, 0, aad.length);
                streamed(s, bad, length, r);
                assertFalse(s.verifyTag(bad, length), "a flipped bit fails the tag");

                final int cut = r.nextInt(length + 1);
                s.start(false, nonce, 0, aad, 0, aad.length);
                s.absorb(sealed, 0, cut);
                final byte[] rest = new byte[length - cut];
                s.update(sealed, cut, length - cut, rest, 0);
                assertTrue(s.verifyTag(sealed, length), "rebuilt from a prefix of " + cut);
                assertArrayEquals(Arrays.copyOfRange(plain, cut, length), rest);
            }

            final byte[] whole = new byte[length + 16];
            assertTrue(s.sealOrOpenWhole(true, nonce, 0, aad, 0, aad.length, plain, 0, length, whole, 0));
            assertArrayEquals(sealed, whole);
            final byte[] opened = new byte[length];
            assertTrue(s.sealOrOpenWhole(false, nonce, 0, aad, 0, aad.length, sealed, 0, length, opened, 0));
            assertArrayEquals(plain, opened);
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
