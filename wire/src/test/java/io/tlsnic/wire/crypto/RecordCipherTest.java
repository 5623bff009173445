package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/** Whole-record seal/open over the version x cipher matrix, checked against Bouncy Castle's own AEADs. */
class RecordCipherTest
{
    static Stream<Arguments> matrix()
    {
        return Stream.of(TlsVersion.values()).flatMap(v -> Stream.of(
            TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256, TlsCipher.CHACHA20_POLY1305).map(c -> Arguments.of(v, c)));
    }

    /** Keys as crypto_info carries them. */
    private static final class Keys
    {
        final byte[] key;
        final byte[] salt;
        final byte[] iv;
        final long recSeq;

        Keys(final TlsCipher cipher, final SplittableRandom random, final long recSeq)
        {
            key = new byte[cipher.keyLength()];
            salt = new byte[cipher.saltLength()];
            iv = new byte[cipher.ivLength()];
            random.nextBytes(key);
            random.nextBytes(salt);
            random.nextBytes(iv);
            this.recSeq = recSeq;
        }

        RecordCipher cipher(final TlsVersion v, final TlsCipher c)
        {
            return new RecordCipher(v, c, key, salt, iv, recSeq);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void shouldProduceRecordsThatBouncyCastleOpensWithNoncesAndAadBuiltFromTheRfcs(
        final TlsVersion version, final TlsCipher cipher) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(version.code() * 100 + cipher.id());
        final long firstSeq = 0xFFFF_FFFF_FFFF_FFF0L + random.nextInt(8); // crosses the unsigned wrap
        final Keys keys = new Keys(cipher, random, firstSeq);
        final RecordCipher rc = keys.cipher(version, cipher);
        for (int i = 0; i < 20; i++)
        {
            final long seq = firstSeq + i;
            final int length = i == 0 ? 0 : i == 1 ? 16384 : random.nextInt(3000);
            final int padding = version == TlsVersion.TLS_1_3 && i % 3 == 0 ? random.nextInt(40) : 0;
            final int type = i % 5 == 4 ? 21 : 23;
            final byte[] plain = new byte[length];
            random.nextBytes(plain);
            final byte[] record = new byte[rc.sealedLength(length, padding)];
            assertEquals(record.length, rc.seal(seq, type, plain, 0, length, padding, record, 0));

            final byte[] inner = independentOpen(version, cipher, keys, seq, record);
            if (version == TlsVersion.TLS_1_3)
            {
                assertEquals(23, record[0]);
                assertEquals(length + 1 + padding, inner.length);
                assertEquals(type, inner[length]);
                assertTrue(allZero(inner, length + 1, inner.length));
            }
            else
            {
                assertEquals(type, record[0]);
                assertEquals(length, inner.length);
            }
            assertArrayEquals(plain, Arrays.copyOf(inner, length), "record " + i);

            final byte[] out = new byte[record.length];
            assertEquals(length, rc.open(seq, record, 0, record.length, out, 0));
            assertEquals(type, rc.lastContentType());
            assertArrayEquals(plain, Arrays.copyOf(out, length));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void shouldFailAuthenticationWithEbadmsgForAFlippedByteOrAWrongRecordNumber(
        final TlsVersion version, final TlsCipher cipher)
    {
        final SplittableRandom random = new SplittableRandom(5);
        final RecordCipher rc = new Keys(cipher, random, 7).cipher(version, cipher);
        final byte[] plain = new byte[300];
        final byte[] record = new byte[rc.sealedLength(plain.length, 0)];
        rc.seal(7, 23, plain, 0, plain.length, 0, record, 0);
        for (final int at : new int[] {5, 13, record.length - 16, record.length - 1})
        {
            final byte[] bad = record.clone();
            bad[at] ^= 0x40;
            final TlsErrnoException e = assertThrows(TlsErrnoException.class,
                () -> rc.open(7, bad, 0, bad.length, new byte[bad.length], 0), "flipped byte " + at);
            assertEquals(Errno.EBADMSG, e.errno());
        }
        final TlsErrnoException e = assertThrows(TlsErrnoException.class,
            () -> rc.open(8, record, 0, record.length, new byte[record.length], 0));
        assertEquals(Errno.EBADMSG, e.errno());
    }

    @Test
    void shouldRejectBadHeadersWithTheErrnoLinuxUses()
    {
        final RecordCipher rc = new Keys(TlsCipher.AES_GCM_128, new SplittableRandom(1), 0)
            .cipher(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128);
        final byte[] plain = new byte[100];
        final byte[] record = new byte[rc.sealedLength(100, 0)];
        rc.seal(0, 23, plain, 0, 100, 0, record, 0);

        final byte[] wrongVersion = record.clone();
        wrongVersion[2] = 1;
        assertErrno(Errno.EINVAL, "record version 0x0301 is not 0x0303", () -> rc.open(0, wrongVersion, 0,
            wrongVersion.length, new byte[200], 0));

        final byte[] tooLong = record.clone();
        tooLong[3] = (byte)0x41;
        tooLong[4] = (byte)0x19; // 16665 > 2^14 + 8 + 16
        assertErrno(Errno.EMSGSIZE, "record length 16665 exceeds 16408", () -> rc.open(0, tooLong, 0,
            tooLong.length, new byte[200], 0));

        final byte[] tooShort = record.clone();
        tooShort[3] = 0;
        tooShort[4] = 23;
        assertErrno(Errno.EMSGSIZE, "record length 23 is below the minimum 24", () -> rc.open(0, tooShort, 0,
            tooShort.length, new byte[200], 0));

        assertErrno(Errno.EMSGSIZE, "only 99 bytes given", () -> rc.open(0, record, 0, 104, new byte[200], 0));
        assertErrno(Errno.EMSGSIZE, "exceeds 16384", () -> rc.seal(0, 23, new byte[16385], 0, 16385, 0,
            new byte[17000], 0));
        assertErrno(Errno.EINVAL, "padding exists only in TLS 1.3", () -> rc.seal(0, 23, plain, 0, 1, 3,
            new byte[200], 0));
    }

    @Test
    void shouldRefuseATls13RecordWhosePlaintextIsAllZeroPadding()
    {
        final Keys keys = new Keys(TlsCipher.AES_GCM_128, new SplittableRandom(2), 0);
        final RecordCipher rc = keys.cipher(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128);
        final byte[] record = new byte[rc.sealedLength(0, 9)];
        rc.seal(0, 0, new byte[0], 0, 0, 9, record, 0); // content type 0 = nothing but padding
        assertErrno(Errno.EBADMSG, "no content type", () -> rc.open(0, record, 0, record.length,
            new byte[record.length], 0));
    }

    @Test
    void shouldStartTheTls12ExplicitNonceAtCryptoInfoIvAndCountRecordsFromRecSeq()
    {
        final Keys keys = new Keys(TlsCipher.AES_GCM_256, new SplittableRandom(3), 1000);
        final RecordCipher rc = keys.cipher(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256);
        final byte[] first = new byte[rc.sealedLength(1, 0)];
        rc.seal(1000, 23, new byte[1], 0, 1, 0, first, 0);
        assertArrayEquals(keys.iv, Arrays.copyOfRange(first, 5, 13), "record rec_seq carries crypto_info.iv");
        final byte[] third = new byte[rc.sealedLength(1, 0)];
        rc.seal(1002, 23, new byte[1], 0, 1, 0, third, 0);
        final byte[] expected = keys.iv.clone();
        long v = RecordProtection.readLong(expected, 0) + 2;
        RecordProtection.writeLong(expected, 0, v);
        assertArrayEquals(expected, Arrays.copyOfRange(third, 5, 13));
    }

    @Test
    void shouldRefuseCcmAndMismatchedKeyMaterialWithEinval()
    {
        assertErrno(Errno.EINVAL, "not supported", () -> new RecordCipher(TlsVersion.TLS_1_2,
            TlsCipher.AES_CCM_128, new byte[16], new byte[4], new byte[8], 0));
        assertErrno(Errno.EINVAL, "needs salt 0 and iv 12", () -> new RecordCipher(TlsVersion.TLS_1_3,
            TlsCipher.CHACHA20_POLY1305, new byte[32], new byte[4], new byte[8], 0));
    }

    private static void assertErrno(final Errno errno, final String fragment, final Runnable r)
    {
        final TlsErrnoException e = assertThrows(TlsErrnoException.class, r::run);
        assertEquals(errno, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** RFC 5288 / 7905 / 8446 record opening with Bouncy Castle, nonce and AAD built here by hand. */
    private static byte[] independentOpen(
        final TlsVersion version, final TlsCipher cipher, final Keys keys, final long seq, final byte[] record)
        throws InvalidCipherTextException
    {
        final byte[] nonce = new byte[12];
        int bodyStart = 5;
        if (version == TlsVersion.TLS_1_2 && cipher != TlsCipher.CHACHA20_POLY1305)
        {
            System.arraycopy(keys.salt, 0, nonce, 0, 4);
            System.arraycopy(record, 5, nonce, 4, 8); // explicit nonce from the record
            bodyStart = 13;
        }
        else
        {
            final byte[] iv = new byte[12];
            System.arraycopy(keys.salt, 0, iv, 0, keys.salt.length);
            System.arraycopy(keys.iv, 0, iv, keys.salt.length, keys.iv.length);
            for (int i = 0; i < 12; i++)
            {
                nonce[i] = (byte)(iv[i] ^ (i < 4 ? 0 : (byte)(seq >>> (8 * (11 - i)))));
            }
        }
        final int cipherLength = record.length - bodyStart;
        final byte[] aad;
        if (version == TlsVersion.TLS_1_3)
        {
            aad = Arrays.copyOf(record, 5);
        }
        else
        {
            final int plainLength = cipherLength - 16;
            aad = new byte[] {
                (byte)(seq >>> 56), (byte)(seq >>> 48), (byte)(seq >>> 40), (byte)(seq >>> 32),
                (byte)(seq >>> 24), (byte)(seq >>> 16), (byte)(seq >>> 8), (byte)seq,
                record[0], 3, 3, (byte)(plainLength >>> 8), (byte)plainLength};
        }
        final AEADCipher bc = cipher == TlsCipher.CHACHA20_POLY1305
            ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
        bc.init(false, new AEADParameters(new KeyParameter(keys.key), 128, nonce, aad));
        final byte[] out = new byte[bc.getOutputSize(cipherLength)];
        int n = bc.processBytes(record, bodyStart, cipherLength, out, 0);
        n += bc.doFinal(out, n);
        return Arrays.copyOf(out, n);
    }

    private static boolean allZero(final byte[] b, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (b[i] != 0)
            {
                return false;
            }
        }
        return true;
    }
}
