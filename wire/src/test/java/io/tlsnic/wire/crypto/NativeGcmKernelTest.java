package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * The native kernel and the Java engine, run on the same random records cut at the same points, produce the same
 * ciphertext, plaintext and tags byte for byte, and both agree with one-shot SunJCE; tampering is refused by
 * both; native states are wiped and freed on close.
 */
class NativeGcmKernelTest
{
    @Test
    void shouldUseTheNativeKernelWhereverTheBuildAndTheCpuAllowIt() throws IOException
    {
        assumeTrue(NativeGcm.class.getResource("native/linux-x86_64/libtlsnic-gcm.so") != null,
            "the build made no native library here");
        final Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo), "no /proc/cpuinfo");
        final String flags = Files.readAllLines(cpuinfo).stream()
            .filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
        for (final String flag : new String[] {"aes", "pclmulqdq", "avx2", "avx512f", "avx512bw", "avx512vl",
            "vaes", "vpclmulqdq"})
        {
            assumeTrue(flags.contains(" " + flag + " "), "the CPU lacks " + flag);
        }
        assumeTrue(NativeGcm.refusal(System.getProperty(NativeGcm.PROPERTY), System.getProperty("os.name"),
            System.getProperty("os.arch")) == null, "native kernel switched off");

        assertTrue(NativeGcm.isAvailable(), "native kernel not used: " + NativeGcm.unavailableReason());
        assertTrue(AesGcmStream.engineName().startsWith("native kernel"), AesGcmStream.engineName());
        final boolean ffmWanted = !"false".equalsIgnoreCase(System.getProperty(NativeGcmDowncalls.PROPERTY, "true"));
        assertEquals(ffmWanted && Runtime.version().feature() >= 22 ? "FFM" : "JNI", NativeGcm.callPath());
    }

    @Test
    void shouldRefuseToLoadWhenSwitchedOffOrOffLinuxX86()
    {
        assertEquals("disabled by -Dtlsnic.crypto.native=false", NativeGcm.refusal("false", "Linux", "amd64"));
        assertNotNull(NativeGcm.refusal(null, "Mac OS X", "aarch64"));
        assertNotNull(NativeGcm.refusal(null, "Linux", "aarch64"));
        assertNull(NativeGcm.refusal(null, "Linux", "amd64"));
        assertNull(NativeGcm.refusal("true", "Linux", "x86_64"));
    }

    @Test
    void shouldMatchTheJavaEngineOnRandomRecordsCutAtRandomPoints()
    {
        assumeNative();
        final SplittableRandom random = new SplittableRandom(20261122);
        for (int r = 0; r < 300; r++)
        {
            final byte[] key = bytes(random, random.nextBoolean() ? 16 : 32);
            final byte[] nonce = bytes(random, 12);
            final byte[] aad = bytes(random, aadLength(random));
            final byte[] plain = bytes(random, recordLength(random));
            final int[] segments = segments(random, plain.length);
            final String what = plain.length + " bytes, key " + key.length * 8 + ", aad " + aad.length + ", segments "
                + Arrays.toString(segments);
            final boolean inPlace = random.nextBoolean();

            final byte[] nativeSealed = seal(Engine.NATIVE_KERNEL, key, nonce, aad, plain, segments, inPlace);
            final byte[] javaSealed = seal(Engine.JAVA_JDK_GHASH, key, nonce, aad, plain, segments, inPlace);
            assertArrayEquals(javaSealed, nativeSealed, "sealed: " + what);
            assertArrayEquals(oneShot(key, nonce, aad, plain), nativeSealed, "one-shot: " + what);

            for (final Engine engine : List.of(Engine.NATIVE_KERNEL, Engine.JAVA_JDK_GHASH))
            {
                assertArrayEquals(plain, open(engine, key, nonce, aad, nativeSealed, segments, inPlace),
                    engine + " opened: " + what);
            }
        }
    }

    @Test
    void shouldMatchTheJavaEngineWithOneByteSegmentsAndEveryTwoCutsInsideTheFirstBlocks()
    {
        assumeNative();
        final SplittableRandom random = new SplittableRandom(5);
        final byte[] key = bytes(random, 32);
        final byte[] nonce = bytes(random, 12);
        final byte[] aad = bytes(random, 13);
        final byte[] plain = bytes(random, 300);
        final int[] ones = new int[plain.length];
        Arrays.fill(ones, 1);
        final byte[] expected = oneShot(key, nonce, aad, plain);
        assertArrayEquals(expected, seal(Engine.NATIVE_KERNEL, key, nonce, aad, plain, ones, false), "1-byte segments");
        assertArrayEquals(plain, open(Engine.NATIVE_KERNEL, key, nonce, aad, expected, ones, true), "1-byte opens");
        for (int first = 0; first <= 40; first++)
        {
            for (int second = 0; second <= 40; second++)
            {
                final int[] segments = {first, second, plain.length - first - second};
                assertArrayEquals(expected, seal(Engine.NATIVE_KERNEL, key, nonce, aad, plain, segments, false),
                    "segments " + Arrays.toString(segments));
                assertArrayEquals(plain, open(Engine.NATIVE_KERNEL, key, nonce, aad, expected, segments, false),
                    "open segments " + Arrays.toString(segments));
            }
        }
    }

    @Test
    void shouldSealAndOpenRecordsWithNoTextAndNoAdditionalData()
    {
        assumeNative();
        final SplittableRandom random = new SplittableRandom(0);
        for (final int keyLength : new int[] {16, 32})
        {
            for (final int aadLength : new int[] {0, 5, 13, 16, 17, 255, 256, 257, 1000})
            {
                final byte[] key = bytes(random, keyLength);
                final byte[] nonce = bytes(random, 12);
                final byte[] aad = bytes(random, aadLength);
                final byte[] expected = oneShot(key, nonce, aad, new byte[0]);
                final String what = "key " + keyLength * 8 + ", aad " + aadLength;
                assertArrayEquals(expected, seal(Engine.NATIVE_KERNEL, key, nonce, aad, new byte[0], new int[] {0, 0},
                    false), what);
                assertArrayEquals(new byte[0],
                    open(Engine.NATIVE_KERNEL, key, nonce, aad, expected, new int[] {0}, false), what);
            }
        }
    }

    @Test
    void shouldRefuseATamperedRecordExactlyWhenTheJavaEngineDoes()
    {
        assumeNative();
        final SplittableRandom random = new SplittableRandom(77);
        for (int r = 0; r < 200; r++)
        {
            final byte[] key = bytes(random, random.nextBoolean() ? 16 : 32);
            final byte[] nonce = bytes(random, 12);
            final byte[] aad = bytes(random, 1 + random.nextInt(20));
            final byte[] plain = bytes(random, random.nextInt(3000));
            final byte[] sealed = oneShot(key, nonce, aad, plain);
            final int[] segments = segments(random, plain.length);
            final int where = random.nextInt(sealed.length + aad.length);
            if (where < sealed.length)
            {
                sealed[where] ^= (byte)(1 << random.nextInt(8));
            }
            else
            {
                aad[where - sealed.length] ^= (byte)(1 << random.nextInt(8));
            }
            for (final Engine engine : List.of(Engine.NATIVE_KERNEL, Engine.JAVA_JDK_GHASH))
            {
                assertNull(open(engine, key, nonce, aad, sealed, segments, random.nextBoolean()),
                    engine + " accepted a record changed at " + where + " of " + plain.length);
            }
        }
    }

    @Test
    void shouldContinueLikeTheJavaEngineAfterRebuildingFromAnyPrefix()
    {
        assumeNative();
        final SplittableRandom random = new SplittableRandom(123);
        for (int r = 0; r < 100; r++)
        {
            final byte[] key = bytes(random, random.nextBoolean() ? 16 : 32);
            final byte[] nonce = bytes(random, 12);
            final byte[] aad = bytes(random, 13);
            final byte[] plain = bytes(random, 1 + random.nextInt(5000));
            final byte[] sealed = oneShot(key, nonce, aad, plain);
            final int prefix = random.nextInt(plain.length + 1);
            try (AesGcmStream tx = AesGcmStream.nativeKernel(key); AesGcmStream rx = AesGcmStream.nativeKernel(key))
            {
                tx.start(true, nonce, 0, aad, 0, aad.length);
                tx.absorb(plain, 0, prefix);
                final byte[] rest = new byte[plain.length - prefix + AesGcmStream.TAG_LENGTH];
                tx.update(plain, prefix, plain.length - prefix, rest, 0);
                tx.finishTag(rest, plain.length - prefix);
                assertArrayEquals(Arrays.copyOfRange(sealed, prefix, sealed.length), rest, "tx from " + prefix);

                rx.start(false, nonce, 0, aad, 0, aad.length);
                rx.absorb(sealed, 0, prefix);
                final byte[] plainRest = new byte[plain.length - prefix];
                rx.update(sealed, prefix, plainRest.length, plainRest, 0);
                assertArrayEquals(Arrays.copyOfRange(plain, prefix, plain.length), plainRest, "rx from " + prefix);
                assertTrue(rx.verifyTag(sealed, plain.length), "rx tag from " + prefix);
            }
        }
    }

    @Test
    void shouldFreeItsNativeStateOnCloseAndRefuseUseAfterwards()
    {
        assumeNative();
        final int count = 50;
        final List<AesGcmStream> streams = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            streams.add(AesGcmStream.nativeKernel(new byte[16]));
        }
        final long before = NativeGcm.liveStates();
        for (final AesGcmStream stream : streams)
        {
            stream.close();
            stream.close();
        }
        // The cleaner may free other tests' dropped states meanwhile: the count can only fall further.
        assertTrue(NativeGcm.liveStates() <= before - count, "closing " + count + " states freed fewer");
        final AesGcmStream closed = streams.get(0);
        assertThrows(IllegalStateException.class, () -> closed.start(true, new byte[12], 0, new byte[5], 0, 5));
    }

    @Test
    void shouldRejectOutOfBoundsArgumentsBeforeTheyReachNativeCode()
    {
        assumeNative();
        try (AesGcmStream s = AesGcmStream.nativeKernel(new byte[16]))
        {
            assertThrows(IndexOutOfBoundsException.class, () -> s.start(true, new byte[11], 0, new byte[5], 0, 5));
            assertThrows(IndexOutOfBoundsException.class, () -> s.start(true, new byte[12], 0, new byte[5], 1, 5));
            s.start(true, new byte[12], 0, new byte[5], 0, 5);
            assertThrows(IndexOutOfBoundsException.class, () -> s.update(new byte[10], 5, 6, new byte[20], 0));
            assertThrows(IndexOutOfBoundsException.class, () -> s.update(new byte[10], 0, 10, new byte[20], 11));
            assertThrows(IndexOutOfBoundsException.class, () -> s.finishTag(new byte[16], 1));
        }
    }

    private static void assumeNative()
    {
        assumeTrue(NativeGcm.isAvailable(), "native kernel not available: " + NativeGcm.unavailableReason());
    }

    private static byte[] seal(
        final Engine engine, final byte[] key, final byte[] nonce, final byte[] aad, final byte[] plain,
        final int[] segments, final boolean inPlace)
    {
        final byte[] out = Arrays.copyOf(plain, plain.length + AesGcmStream.TAG_LENGTH);
        try (AesGcmStream s = engine.stream(key))
        {
            s.start(true, nonce, 0, aad, 0, aad.length);
            int p = 0;
            for (final int n : segments)
            {
                s.update(inPlace ? out : plain, p, n, out, p);
                p += n;
            }
            assertEquals(plain.length, p);
            s.finishTag(out, plain.length);
        }
        return out;
    }

    /** @return the plaintext, or null when the tag did not verify. */
    private static byte[] open(
        final Engine engine, final byte[] key, final byte[] nonce, final byte[] aad, final byte[] sealed,
        final int[] segments, final boolean inPlace)
    {
        final int length = sealed.length - AesGcmStream.TAG_LENGTH;
        final byte[] in = sealed.clone();
        final byte[] out = inPlace ? in : new byte[length];
        try (AesGcmStream s = engine.stream(key))
        {
            s.start(false, nonce, 0, aad, 0, aad.length);
            int p = 0;
            for (final int n : segments)
            {
                s.update(in, p, n, out, p);
                p += n;
            }
            assertEquals(length, p);
            return s.verifyTag(in, length) ? Arrays.copyOf(out, length) : null;
        }
    }

    private static byte[] oneShot(final byte[] key, final byte[] nonce, final byte[] aad, final byte[] plain)
    {
        final byte[] sealed = new byte[plain.length + AesGcmStream.TAG_LENGTH];
        new JceAead(key.length == 16 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256, key)
            .seal(nonce, 0, aad, 0, aad.length, plain, 0, plain.length, sealed, 0);
        return sealed;
    }

    /** Segment lengths summing to {@code length}: MSS-like, tiny, empty and block-straddling pieces mixed. */
    private static int[] segments(final SplittableRandom random, final int length)
    {
        final List<Integer> pieces = new ArrayList<>();
        int left = length;
        while (left > 0 || pieces.isEmpty())
        {
            final int kind = random.nextInt(6);
            final int n = kind == 0 ? 0 : kind == 1 ? 1 + random.nextInt(15) : kind == 2 ? 1448
                : kind == 3 ? 16 * (1 + random.nextInt(20)) : random.nextInt(700);
            final int take = Math.min(n, left);
            pieces.add(take);
            left -= take;
        }
        return pieces.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int recordLength(final SplittableRandom random)
    {
        final int kind = random.nextInt(5);
        return kind == 0 ? random.nextInt(48) : kind == 1 ? 16384 : kind == 2 ? 0 : random.nextInt(16384 + 257);
    }

    private static int aadLength(final SplittableRandom random)
    {
        final int kind = random.nextInt(4);
        return kind == 0 ? 5 : kind == 1 ? 13 : kind == 2 ? 0 : random.nextInt(600);
    }

    private static byte[] bytes(final SplittableRandom random, final int length)
    {
        final byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
