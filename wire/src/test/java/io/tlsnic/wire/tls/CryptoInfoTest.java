package io.tlsnic.wire.tls;

import static io.tlsnic.wire.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.io.AbstractReferenceCounted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CryptoInfoTest
{
    private static final long REC_SEQ = 0x0102030405060708L;
    private static final String REC_SEQ_HEX = "0102030405060708";

    /** The six layouts, built by hand from tls.h: version and cipher_type little-endian, rec_seq big-endian. */
    private static final Object[][] LAYOUTS = {
        {TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128,
            "0303" + "3300" + "11".repeat(8) + "22".repeat(16) + "33".repeat(4) + REC_SEQ_HEX},
        {TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128,
            "0403" + "3300" + "11".repeat(8) + "22".repeat(16) + "33".repeat(4) + REC_SEQ_HEX},
        {TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256,
            "0303" + "3400" + "11".repeat(8) + "22".repeat(32) + "33".repeat(4) + REC_SEQ_HEX},
        {TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256,
            "0403" + "3400" + "11".repeat(8) + "22".repeat(32) + "33".repeat(4) + REC_SEQ_HEX},
        {TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305,
            "0303" + "3600" + "11".repeat(12) + "22".repeat(32) + REC_SEQ_HEX},
        {TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305,
            "0403" + "3600" + "11".repeat(12) + "22".repeat(32) + REC_SEQ_HEX},
    };

    @BeforeEach
    void traceOffHeapMemory()
    {
        AbstractReferenceCounted.enableReferenceTracing();
    }

    @AfterEach
    void shouldHaveReleasedOffHeapMemory()
    {
        AbstractReferenceCounted.assertReferencesReleased();
    }

    @Test
    void shouldWriteEveryLayoutByteExact()
    {
        for (final Object[] layout : LAYOUTS)
        {
            final CryptoInfo info = sample((TlsVersion)layout[0], (TlsCipher)layout[1]);
            final byte[] expected = hex((String)layout[2]);
            assertArrayEquals(expected, info.toBytes(), info.toString());
            assertEquals(expected.length, info.encodedLength());
            assertEquals(expected.length, CryptoInfo.encodedLength((TlsCipher)layout[1]));
        }
    }

    @Test
    void shouldParseEveryLayoutBackToTheSameValueAtAnyOffset()
    {
        for (final Object[] layout : LAYOUTS)
        {
            final byte[] bytes = hex((String)layout[2]);
            final byte[] padded = new byte[bytes.length + 7];
            System.arraycopy(bytes, 0, padded, 3, bytes.length);
            final CryptoInfo parsed = CryptoInfo.parse(padded, 3, bytes.length);
            assertEquals(sample((TlsVersion)layout[0], (TlsCipher)layout[1]), parsed);
            assertEquals(layout[0], parsed.version());
            assertEquals(layout[1], parsed.cipher());
            assertEquals(REC_SEQ, parsed.recSeq());
            assertArrayEquals(bytes, parsed.toBytes());
        }
    }

    @Test
    void shouldRoundTripEveryLayoutThroughOffHeapMemory()
    {
        final BytesStore<?, ?> store = BytesStore.nativeStoreWithFixedCapacity(128);
        try
        {
            for (final Object[] layout : LAYOUTS)
            {
                final CryptoInfo info = sample((TlsVersion)layout[0], (TlsCipher)layout[1]);
                assertEquals(info.encodedLength(), info.write(store, 16));
                final byte[] written = new byte[info.encodedLength()];
                store.read(16, written, 0, written.length);
                assertArrayEquals(hex((String)layout[2]), written);
                assertEquals(info, CryptoInfo.parse(store, 16, info.encodedLength()));
            }
            final TlsErrnoException e = assertThrows(TlsErrnoException.class, () -> CryptoInfo.parse(store, 16, 57));
            assertEquals("EINVAL: crypto_info length 57 does not match 56 for ChaCha20-Poly1305", e.getMessage());
            final CryptoInfo chacha = sample(TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305);
            chacha.write(store, 128 - 56);
            assertEquals(chacha, CryptoInfo.parse(store, 128 - 56, 56));
            // A valid header 28 bytes before the end: the struct would run past the store.
            store.write(100, chacha.toBytes(), 0, CryptoInfo.HEADER_LENGTH);
            final IndexOutOfBoundsException past =
                assertThrows(IndexOutOfBoundsException.class, () -> CryptoInfo.parse(store, 100, 56));
            assertEquals("crypto_info of 56 bytes at offset 100 runs past the end of the store (28 bytes readable)",
                past.getMessage());
        }
        finally
        {
            store.releaseLast();
        }
    }

    @Test
    void shouldKeepRecSeqUnsigned()
    {
        final CryptoInfo info = CryptoInfo.of(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128,
            new byte[8], new byte[16], new byte[4], -1L);
        final byte[] bytes = info.toBytes();
        assertArrayEquals(hex("ffffffffffffffff"), Arrays.copyOfRange(bytes, 32, 40));
        assertEquals(-1L, CryptoInfo.parse(bytes, 0, bytes.length).recSeq());
        assertTrue(info.toString().contains("recSeq=18446744073709551615"), info.toString());
    }

    @Test
    void shouldRejectAVersionOtherThanTls12Or13()
    {
        final byte[] bytes = hex((String)LAYOUTS[0][2]);
        bytes[0] = 0x02;
        assertErrno(Errno.EINVAL, "crypto_info version 0x0302 is neither TLS 1.2 (0x0303) nor TLS 1.3 (0x0304)",
            () -> CryptoInfo.parse(bytes, 0, bytes.length));
    }

    @Test
    void shouldRejectAnUnknownCipherType()
    {
        for (final int id : new int[] {0, 50, 55, 57, 0x3300})
        {
            final byte[] bytes = hex((String)LAYOUTS[0][2]);
            bytes[2] = (byte)id;
            bytes[3] = (byte)(id >>> 8);
            assertErrno(Errno.EINVAL, "crypto_info cipher_type " + id + " is unknown",
                () -> CryptoInfo.parse(bytes, 0, bytes.length));
        }
    }

    @Test
    void shouldRecogniseAesCcmButRefuseIt()
    {
        final byte[] bytes = hex((String)LAYOUTS[0][2]);
        bytes[2] = 53;
        assertErrno(Errno.EINVAL,
            "crypto_info cipher_type 53 (AES-128-CCM) is recognised but not implemented by the tlsnic record layer",
            () -> CryptoInfo.parse(bytes, 0, bytes.length));
        assertThrows(TlsErrnoException.class, () -> CryptoInfo.of(
            TlsVersion.TLS_1_2, TlsCipher.AES_CCM_128, new byte[8], new byte[16], new byte[4], 0));
    }

    @Test
    void shouldRejectALengthThatIsNotTheCipherStructSize()
    {
        final byte[] bytes = Arrays.copyOf(hex((String)LAYOUTS[0][2]), 64);
        assertErrno(Errno.EINVAL, "crypto_info length 39 does not match 40 for AES-128-GCM",
            () -> CryptoInfo.parse(bytes, 0, 39));
        assertErrno(Errno.EINVAL, "crypto_info length 41 does not match 40 for AES-128-GCM",
            () -> CryptoInfo.parse(bytes, 0, 41));
        assertErrno(Errno.EINVAL, "crypto_info length 56 does not match 40 for AES-128-GCM",
            () -> CryptoInfo.parse(bytes, 0, 56));
        for (int length = 0; length < CryptoInfo.HEADER_LENGTH; length++)
        {
            final int shortLength = length;
            assertErrno(Errno.EINVAL, "crypto_info length " + length + " is shorter than its 4-byte header",
                () -> CryptoInfo.parse(bytes, 0, shortLength));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> CryptoInfo.parse(bytes, 30, 40));
    }

    @Test
    void shouldRejectFieldsOfTheWrongLength()
    {
        assertErrno(Errno.EINVAL, "key length 16 does not match 32 for AES-256-GCM", () -> CryptoInfo.of(
            TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, new byte[8], new byte[16], new byte[4], 0));
        assertErrno(Errno.EINVAL, "salt length 4 does not match 0 for ChaCha20-Poly1305", () -> CryptoInfo.of(
            TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, new byte[12], new byte[32], new byte[4], 0));
        assertErrno(Errno.EINVAL, "write iv length 4 does not match 12 for AES-128-GCM", () -> CryptoInfo.fromWriteIv(
            TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, new byte[16], new byte[4], 0));
    }

    @Test
    void shouldSplitATls13WriteIvIntoSaltAndIv()
    {
        final byte[] writeIv = hex("5d313eb2671276ee13000b30");
        final CryptoInfo info = CryptoInfo.fromWriteIv(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128,
            hex("3fce516009c21727d0f2e4e86ee403bc"), writeIv, 0);
        assertArrayEquals(hex("5d313eb2"), info.salt());
        assertArrayEquals(hex("671276ee13000b30"), info.iv());
        assertEquals(0, info.recSeq());

        final CryptoInfo chacha = CryptoInfo.fromWriteIv(
            TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, new byte[32], writeIv, 7);
        assertArrayEquals(writeIv, chacha.iv());
        assertEquals(0, chacha.salt().length);
        assertEquals(7, chacha.recSeq());
    }

    @Test
    void shouldUseTheRecordNumberAsTls12ExplicitNonceWhenGivenOnlyTheSalt()
    {
        final CryptoInfo info = CryptoInfo.fromWriteIv(
            TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, new byte[16], hex("a1b2c3d4"), 0x1234L);
        assertArrayEquals(hex("a1b2c3d4"), info.salt());
        assertArrayEquals(hex("0000000000001234"), info.iv());
        assertEquals(0x1234L, info.recSeq());

        final CryptoInfo explicit = CryptoInfo.fromWriteIv(
            TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, new byte[32], hex("a1b2c3d4" + "0f0e0d0c0b0a0908"), 1);
        assertArrayEquals(hex("a1b2c3d4"), explicit.salt());
        assertArrayEquals(hex("0f0e0d0c0b0a0908"), explicit.iv());
        assertEquals(1, explicit.recSeq());
    }

    @Test
    void shouldNeverPrintKeyMaterial()
    {
        final CryptoInfo info = CryptoInfo.fromWriteIv(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256,
            hex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"), hex("deadbeef"), 1);
        final String text = info.toString();
        assertEquals(
            "CryptoInfo{TLS 1.2, AES-256-GCM, iv=8 bytes, key=32 bytes, salt=4 bytes, recSeq=1}", text);
        for (final String secret : new String[] {"00112233", "deadbeef", "DEADBEEF", "-34, -83"})
        {
            assertFalse(text.contains(secret), text);
        }
    }

    @Test
    void shouldWipeKeyMaterialOnDestroy()
    {
        final CryptoInfo info = sample(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128);
        final CryptoInfo same = sample(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128);
        assertEquals(same, info);
        assertEquals(same.hashCode(), info.hashCode());
        info.destroy();
        assertTrue(info.isDestroyed());
        assertThrows(IllegalStateException.class, info::key);
        assertThrows(IllegalStateException.class, info::iv);
        assertThrows(IllegalStateException.class, info::salt);
        assertThrows(IllegalStateException.class, info::toBytes);
        assertFalse(info.equals(same));
        assertEquals("CryptoInfo{TLS 1.3, AES-128-GCM, destroyed, recSeq=72623859790382856}", info.toString());
    }

    @Test
    void shouldCarryTheErrnoNameValueAndDetail()
    {
        final TlsErrnoException e = new TlsErrnoException(Errno.EKEYEXPIRED, "new RX key not installed");
        assertEquals("EKEYEXPIRED", e.errnoName());
        assertEquals(127, e.errno().value());
        assertEquals("new RX key not installed", e.detail());
        assertEquals("EKEYEXPIRED: new RX key not installed", e.getMessage());
        assertEquals(22, Errno.EINVAL.value());
        assertEquals(90, Errno.EMSGSIZE.value());
        assertEquals(74, Errno.EBADMSG.value());
        assertEquals(107, Errno.ENOTCONN.value());
    }

    private static CryptoInfo sample(final TlsVersion version, final TlsCipher cipher)
    {
        final byte[] iv = new byte[cipher.ivLength()];
        final byte[] key = new byte[cipher.keyLength()];
        final byte[] salt = new byte[cipher.saltLength()];
        Arrays.fill(iv, (byte)0x11);
        Arrays.fill(key, (byte)0x22);
        Arrays.fill(salt, (byte)0x33);
        return CryptoInfo.of(version, cipher, iv, key, salt, REC_SEQ);
    }

    private static void assertErrno(final Errno errno, final String detail, final Executable executable)
    {
        final TlsErrnoException e = assertThrows(TlsErrnoException.class, executable);
        assertEquals(errno, e.errno());
        assertEquals(detail, e.detail());
        assertEquals(errno.name() + ": " + detail, e.getMessage());
    }
}
