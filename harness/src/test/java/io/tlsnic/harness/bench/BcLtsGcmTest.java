package io.tlsnic.harness.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tlsnic.wire.crypto.JceAead;
import io.tlsnic.wire.tls.TlsCipher;

/**
 * Bouncy Castle LTS's native GCM, loaded beside the project's own Bouncy Castle: it says what it loaded or why not,
 * seals exactly as SunJCE does, opens what SunJCE sealed, and refuses a record with a flipped tag bit.
 */
class BcLtsGcmTest
{
    @Test
    void shouldSayWhatItLoadedOrWhyNot()
    {
        final BcLtsGcm.Loaded loaded = BcLtsGcm.load();
        assertNotNull(loaded.description());
        assertEquals(loaded.gcm() != null, loaded.description().contains("native AESGCMPacketCipher"),
            loaded.description());
        assertFalse(loaded.description().isBlank());
    }

    @Test
    void shouldSealAndOpenRecordsAsSunJceDoes()
    {
        final BcLtsGcm.Loaded loaded = BcLtsGcm.load();
        assumeTrue(loaded.gcm() != null, loaded.description());
        final SplittableRandom random = new SplittableRandom(7);
        for (final int keyLength : new int[] {16, 32})
        {
            final byte[] key = new byte[keyLength];
            random.nextBytes(key);
            final BcLtsGcm gcm = loaded.gcm().create(key);
            final TlsCipher cipher = keyLength == 16 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256;
            for (final int length : new int[] {0, 1, 15, 16, 17, 1448, 16384})
            {
                final byte[] nonce = new byte[12];
                random.nextBytes(nonce);
                final byte[] aad = {23, 3, 3, (byte)((length + 16) >>> 8), (byte)(length + 16)};
                final byte[] plain = new byte[length];
                random.nextBytes(plain);
                final byte[] expected = new byte[length + 16];
                new JceAead(cipher, key).seal(nonce, 0, aad, 0, 5, plain, 0, length, expected, 0);

                final byte[] sealed = new byte[length + 16];
                assertEquals(length + 16, gcm.process(true, nonce, aad, plain, 0, length, sealed, 0));
                assertArrayEquals(expected, sealed, keyLength * 8 + "-bit key, " + length + " bytes");

                final byte[] opened = new byte[length];
                assertEquals(length, gcm.process(false, nonce, aad, expected, 0, length + 16, opened, 0));
                assertArrayEquals(plain, opened);

                final byte[] forged = Arrays.copyOf(expected, expected.length);
                forged[length] ^= 1;
                assertThrows(RuntimeException.class,
                    () -> gcm.process(false, nonce, aad, forged, 0, length + 16, new byte[length], 0));
            }
        }
    }
}
