package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * Checks one AES-GCM known answer through every path: the one-shot JCE AEAD, and the incremental stream on every
 * engine (the native kernel where this machine has it, the Java engine with both GHASH implementations), fed in
 * random segments, in both directions.
 */
final class GcmCheck
{
    private GcmCheck()
    {
    }

    /** A valid vector: every path must produce {@code ct || tag} and give {@code pt} back. */
    static void valid(
        final String id, final byte[] key, final byte[] iv, final byte[] aad, final byte[] pt, final byte[] ct,
        final byte[] tag, final SplittableRandom random)
    {
        final byte[] expected = concat(ct, tag);
        final JceAead aead = new JceAead(key.length == 16 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256, key);
        final byte[] sealed = new byte[pt.length + 16];
        aead.seal(iv, 0, aad, 0, aad.length, pt, 0, pt.length, sealed, 0);
        assertArrayEquals(expected, sealed, id + ": one-shot seal");
        final byte[] opened = new byte[pt.length];
        assertEquals(pt.length, aead.open(iv, 0, aad, 0, aad.length, expected, 0, expected.length, opened, 0), id);
        assertArrayEquals(pt, opened, id + ": one-shot open");

        for (final Engine engine : Engine.available())
        {
            final String path = id + " (" + engine + ")";
            final AesGcmStream stream = engine.stream(key);
            stream.start(true, iv, 0, aad, 0, aad.length);
            final byte[] out = new byte[pt.length];
            feed(stream, pt, out, random);
            final byte[] t = new byte[16];
            stream.finishTag(t, 0);
            assertArrayEquals(ct, out, path + ": streamed ciphertext");
            assertArrayEquals(tag, t, path + ": streamed tag");

            stream.start(false, iv, 0, aad, 0, aad.length);
            final byte[] back = new byte[ct.length];
            feed(stream, ct, back, random);
            assertArrayEquals(pt, back, path + ": streamed plaintext");
            assertTrue(stream.verifyTag(tag, 0), path + ": streamed tag verifies");
        }
    }

    /** An invalid vector (bad tag or ciphertext): every decrypting path must refuse it. */
    static void invalid(
        final String id, final byte[] key, final byte[] iv, final byte[] aad, final byte[] ct, final byte[] tag,
        final SplittableRandom random)
    {
        final byte[] input = concat(ct, tag);
        final JceAead aead = new JceAead(key.length == 16 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256, key);
        assertEquals(-1, aead.open(iv, 0, aad, 0, aad.length, input, 0, input.length, new byte[ct.length], 0),
            id + ": one-shot open must refuse");
        for (final Engine engine : Engine.available())
        {
            final AesGcmStream stream = engine.stream(key);
            stream.start(false, iv, 0, aad, 0, aad.length);
            feed(stream, ct, new byte[ct.length], random);
            assertFalse(stream.verifyTag(tag, 0), id + " (" + engine + "): stream must refuse");
        }
    }

    /** Feeds {@code in} through the stream in random pieces of 0..40 bytes (zero-length calls included). */
    static void feed(final AesGcmStream stream, final byte[] in, final byte[] out, final SplittableRandom random)
    {
        int p = 0;
        while (p < in.length)
        {
            final int n = Math.min(in.length - p, random.nextInt(41));
            stream.update(in, p, n, out, p);
            p += n;
        }
    }

    static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
