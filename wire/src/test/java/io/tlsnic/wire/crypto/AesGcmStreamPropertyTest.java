package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * The incremental state equals the one-shot cipher for every way of cutting a record into segments, in both
 * directions, and a state rebuilt from a prefix carries on identically.
 */
class AesGcmStreamPropertyTest
{
    private static final int RECORDS = 400;

    @Test
    void shouldMatchOneShotForRandomRecordsCutAtRandomPoints()
    {
        final SplittableRandom random = new SplittableRandom(20261122);
        for (int r = 0; r < RECORDS; r++)
        {
            final Case c = Case.random(random);
            final byte[] cuts = null;
            for (final Engine engine : Engine.available())
            {
                final AesGcmStream s = engine.stream(c.key);
                s.start(true, c.nonce, 0, c.aad, 0, c.aad.length);
                final byte[] ct = new byte[c.plain.length];
                feedAtCuts(s, c.plain, ct, cutPoints(random, c.plain.length));
                final byte[] tag = new byte[16];
                s.finishTag(tag, 0);
                assertArrayEquals(c.sealed, GcmCheck.concat(ct, tag), c + " encrypt, " + engine);

                s.start(false, c.nonce, 0, c.aad, 0, c.aad.length);
                final byte[] pt = new byte[ct.length];
                feedAtCuts(s, ct, pt, cutPoints(random, ct.length));
                assertArrayEquals(c.plain, pt, c + " decrypt, " + engine);
                assertTrue(s.verifyTag(tag, 0), c + " tag, " + engine);
            }
            assertTrue(cuts == null);
        }
    }

    @Test
    void shouldMatchOneShotForEverySegmentSizeFromOneByteUp()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Case c = Case.random(random, 16 * 16 + 7);
        for (int size = 1; size <= c.plain.length; size++)
        {
            final AesGcmStream s = new AesGcmStream(c.key);
            s.start(true, c.nonce, 0, c.aad, 0, c.aad.length);
            final byte[] ct = new byte[c.plain.length];
            for (int p = 0; p < ct.length; p += size)
            {
                s.update(c.plain, p, Math.min(size, ct.length - p), ct, p);
            }
            final byte[] tag = new byte[16];
            s.finishTag(tag, 0);
            assertArrayEquals(c.sealed, GcmCheck.concat(ct, tag), "segments of " + size + " bytes");
        }
    }

    @Test
    void shouldContinueIdenticallyAfterRebuildingFromAPrefix()
    {
        final SplittableRandom random = new SplittableRandom(99);
        for (int r = 0; r < 200; r++)
        {
            final Case c = Case.random(random);
            final int prefix = random.nextInt(c.plain.length + 1);
            // TX: DUMP the plaintext prefix, then encrypt the rest as a retransmitted segment would be.
            final AesGcmStream tx = new AesGcmStream(c.key);
            tx.start(true, c.nonce, 0, c.aad, 0, c.aad.length);
            tx.absorb(c.plain, 0, prefix);
            final byte[] rest = new byte[c.plain.length - prefix];
            tx.update(c.plain, prefix, rest.length, rest, 0);
            final byte[] tag = new byte[16];
            tx.finishTag(tag, 0);
            assertArrayEquals(Arrays.copyOfRange(c.sealed, prefix, c.plain.length), rest, c + " tx rest at " + prefix);
            assertArrayEquals(Arrays.copyOfRange(c.sealed, c.plain.length, c.sealed.length), tag, c + " tx tag");

            // RX: catch up on the ciphertext prefix, then decrypt the rest.
            final AesGcmStream rx = new AesGcmStream(c.key);
            rx.start(false, c.nonce, 0, c.aad, 0, c.aad.length);
            rx.absorb(c.sealed, 0, prefix);
            final byte[] plainRest = new byte[c.plain.length - prefix];
            rx.update(c.sealed, prefix, plainRest.length, plainRest, 0);
            assertArrayEquals(Arrays.copyOfRange(c.plain, prefix, c.plain.length), plainRest, c + " rx rest");
            assertTrue(rx.verifyTag(c.sealed, c.plain.length), c + " rx tag");
        }
    }

    @Test
    void shouldDecryptInPlaceAndRefuseAFlippedBitAnywhere()
    {
        final SplittableRandom random = new SplittableRandom(3);
        for (int r = 0; r < 100; r++)
        {
            final Case c = Case.random(random);
            final byte[] buf = c.sealed.clone();
            final int flip = random.nextInt(buf.length);
            buf[flip] ^= (byte)(1 << random.nextInt(8));
            final AesGcmStream s = new AesGcmStream(c.key);
            s.start(false, c.nonce, 0, c.aad, 0, c.aad.length);
            feedAtCuts(s, buf, buf, cutPoints(random, c.plain.length));
            assertFalse(s.verifyTag(buf, c.plain.length), c + " flipped byte " + flip);
        }
    }

    @Test
    void shouldUseTheFusedPathForAWholeRecordAndAgreeWithTheStream()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final Case c = Case.random(random, 16384);
        final AesGcmStream s = new AesGcmStream(c.key);
        final byte[] out = new byte[c.sealed.length];
        assertTrue(s.sealOrOpenWhole(true, c.nonce, 0, c.aad, 0, c.aad.length, c.plain, 0, c.plain.length, out, 0));
        assertArrayEquals(c.sealed, out);
        // Re-sealing the same record (a retransmission) must work despite the JCE's nonce-reuse guard.
        assertTrue(s.sealOrOpenWhole(true, c.nonce, 0, c.aad, 0, c.aad.length, c.plain, 0, c.plain.length, out, 0));
        assertArrayEquals(c.sealed, out);
        final byte[] back = new byte[c.plain.length];
        assertTrue(s.sealOrOpenWhole(false, c.nonce, 0, c.aad, 0, c.aad.length, c.sealed, 0, c.plain.length, back, 0));
        assertArrayEquals(c.plain, back);
        out[7] ^= 1;
        assertFalse(s.sealOrOpenWhole(false, c.nonce, 0, c.aad, 0, c.aad.length, out, 0, c.plain.length, back, 0));
    }

    @Test
    void shouldRefuseUseOutsideARecord()
    {
        final AesGcmStream s = new AesGcmStream(new byte[16]);
        assertThrows(IllegalStateException.class, () -> s.update(new byte[1], 0, 1, new byte[1], 0));
        s.start(true, new byte[12], 0, new byte[5], 0, 5);
        s.finishTag(new byte[16], 0);
        assertThrows(IllegalStateException.class, () -> s.update(new byte[1], 0, 1, new byte[1], 0));
        assertThrows(IllegalArgumentException.class, () -> new AesGcmStream(new byte[24]));
    }

    private static int[] cutPoints(final SplittableRandom random, final int length)
    {
        final int n = random.nextInt(Math.min(length, 30) + 1);
        final int[] cuts = new int[n];
        for (int i = 0; i < n; i++)
        {
            cuts[i] = random.nextInt(length + 1);
        }
        Arrays.sort(cuts);
        return cuts;
    }

    private static void feedAtCuts(final AesGcmStream s, final byte[] in, final byte[] out, final int[] cuts)
    {
        int p = 0;
        for (final int cut : cuts)
        {
            s.update(in, p, cut - p, out, p);
            p = cut;
        }
        s.update(in, p, in.length - p, out, p);
    }

    /** A random record and its one-shot reference encryption. */
    private static final class Case
    {
        final byte[] key;
        final byte[] nonce = new byte[12];
        final byte[] aad;
        final byte[] plain;
        final byte[] sealed;

        private Case(final SplittableRandom random, final int length)
        {
            key = new byte[random.nextBoolean() ? 16 : 32];
            random.nextBytes(key);
            random.nextBytes(nonce);
            aad = new byte[random.nextBoolean() ? 13 : 5];
            random.nextBytes(aad);
            plain = new byte[length];
            random.nextBytes(plain);
            final JceAead reference = new JceAead(
                key.length == 16 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256, key);
            sealed = new byte[length + 16];
            reference.seal(nonce, 0, aad, 0, aad.length, plain, 0, length, sealed, 0);
        }

        static Case random(final SplittableRandom random)
        {
            final int kind = random.nextInt(4);
            final int length = kind == 0 ? random.nextInt(64) : kind == 1 ? 16384 : random.nextInt(16384 + 257);
            return new Case(random, length);
        }

        static Case random(final SplittableRandom random, final int length)
        {
            return new Case(random, length);
        }

        @Override
        public String toString()
        {
            return "record of " + plain.length + " bytes, key " + key.length * 8 + " bits, aad " + aad.length;
        }
    }
}
