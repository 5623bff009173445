package io.tlsnic.wire.crypto;

import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Nonce and additional-data construction per TLS version, shared by the software record cipher and the device
 * engine so that both build them the same way (RFC 5288 §3, RFC 7905 §2, RFC 8446 §5.2-5.3).
 *
 * <pre>
 *   TLS 1.2 AES-GCM   nonce = salt(4) || explicit(8)            explicit sent after the header
 *   TLS 1.2 ChaCha20  nonce = iv(12) XOR (0^4 || BE64(seq))     no explicit part
 *   TLS 1.3 (all)     nonce = iv(12) XOR (0^4 || BE64(seq))
 *   TLS 1.2 AAD (13)  = BE64(seq) || type || 03 03 || BE16(plaintext length)
 *   TLS 1.3 AAD (5)   = 17 03 03 || BE16(ciphertext length + 16)  (the record header itself)
 * </pre>
 */
public final class RecordProtection
{
    /** TLS record header length. */
    public static final int HEADER_LENGTH = 5;
    /** TLS 1.2 AAD length. */
    public static final int TLS12_AAD_LENGTH = 13;
    /** TLS 1.3 AAD length. */
    public static final int TLS13_AAD_LENGTH = 5;
    /** Largest plaintext of a record (RFC 8446 §5.1, RFC 5246 §6.2.1). */
    public static final int MAX_PLAINTEXT_LENGTH = 1 << 14;
    /** Largest TLS 1.3 ciphertext body: 2^14 + 256 (RFC 8446 §5.2). */
    public static final int MAX_TLS13_CIPHERTEXT_LENGTH = (1 << 14) + 256;
    /** Largest TLS 1.2 ciphertext body: 2^14 + 2048 (RFC 5246 §6.2.3). */
    public static final int MAX_TLS12_CIPHERTEXT_LENGTH = (1 << 14) + 2048;

    private RecordProtection()
    {
    }

    /**
     * Bytes between the header and the ciphertext: the TLS 1.2 AES-GCM explicit nonce (8), else 0.
     *
     * @param version TLS version.
     * @param cipher cipher.
     * @return explicit nonce length.
     */
    public static int explicitNonceLength(final TlsVersion version, final TlsCipher cipher)
    {
        return cipher.explicitNonceLength(version);
    }

    /**
     * Record overhead beyond the application plaintext: header, explicit nonce, tag, and for TLS 1.3 the inner
     * content type byte (padding not included).
     *
     * @param version TLS version.
     * @param cipher cipher.
     * @return overhead in bytes.
     */
    public static int overhead(final TlsVersion version, final TlsCipher cipher)
    {
        return HEADER_LENGTH + explicitNonceLength(version, cipher) + TlsCipher.TAG_LENGTH
            + (version == TlsVersion.TLS_1_3 ? 1 : 0);
    }

    /**
     * @param version TLS version.
     * @param cipher cipher.
     * @return largest value of the header's length field this version and cipher may carry.
     */
    public static int maxRecordBodyLength(final TlsVersion version, final TlsCipher cipher)
    {
        return version == TlsVersion.TLS_1_3
            ? MAX_TLS13_CIPHERTEXT_LENGTH
            : MAX_PLAINTEXT_LENGTH + explicitNonceLength(version, cipher) + TlsCipher.TAG_LENGTH;
    }

    /**
     * Writes the 12-byte nonce of a record.
     *
     * @param version TLS version.
     * @param cipher cipher.
     * @param saltAndIv the 12-byte salt||iv (AES-GCM) or iv (ChaCha20) of crypto_info; for TLS 1.3 the write_iv.
     * @param seq record sequence number (unsigned 64-bit).
     * @param explicitNonce for TLS 1.2 AES-GCM: the record's 8-byte explicit nonce; ignored otherwise.
     * @param explicitOffset offset of the explicit nonce.
     * @param out destination of 12 bytes.
     * @param outOffset where to write.
     */
    public static void nonce(
        final TlsVersion version, final TlsCipher cipher, final byte[] saltAndIv, final long seq,
        final byte[] explicitNonce, final int explicitOffset, final byte[] out, final int outOffset)
    {
        if (explicitNonceLength(version, cipher) == 8)
        {
            System.arraycopy(saltAndIv, 0, out, outOffset, 4);
            System.arraycopy(explicitNonce, explicitOffset, out, outOffset + 4, 8);
            return;
        }
        System.arraycopy(saltAndIv, 0, out, outOffset, 12);
        for (int i = 0; i < 8; i++)
        {
            out[outOffset + 4 + i] ^= (byte)(seq >>> (56 - 8 * i));
        }
    }

    /**
     * Writes the additional data of a record.
     *
     * @param version TLS version.
     * @param seq record sequence number (TLS 1.2 only).
     * @param contentType outer content type (TLS 1.2 only; TLS 1.3 is always 23).
     * @param plaintextLength TLS 1.2: plaintext length; TLS 1.3: inner plaintext length (content + type + padding).
     * @param out destination, 13 or 5 bytes.
     * @param outOffset where to write.
     * @return AAD length written.
     */
    public static int aad(
        final TlsVersion version, final long seq, final int contentType, final int plaintextLength,
        final byte[] out, final int outOffset)
    {
        if (version == TlsVersion.TLS_1_2)
        {
            writeLong(out, outOffset, seq);
            out[outOffset + 8] = (byte)contentType;
            out[outOffset + 9] = 3;
            out[outOffset + 10] = 3;
            out[outOffset + 11] = (byte)(plaintextLength >>> 8);
            out[outOffset + 12] = (byte)plaintextLength;
            return TLS12_AAD_LENGTH;
        }
        writeHeader(out, outOffset, 23, plaintextLength + TlsCipher.TAG_LENGTH);
        return TLS13_AAD_LENGTH;
    }

    /**
     * Writes a record header: type, legacy version 0x0303, length.
     *
     * @param out destination.
     * @param offset where to write.
     * @param type content type.
     * @param bodyLength value of the length field.
     */
    public static void writeHeader(final byte[] out, final int offset, final int type, final int bodyLength)
    {
        out[offset] = (byte)type;
        out[offset + 1] = 3;
        out[offset + 2] = 3;
        out[offset + 3] = (byte)(bodyLength >>> 8);
        out[offset + 4] = (byte)bodyLength;
    }

    /** Big-endian 64-bit write. */
    static void writeLong(final byte[] b, final int p, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            b[p + i] = (byte)(v >>> (56 - 8 * i));
        }
    }

    /** Big-endian 64-bit read. */
    static long readLong(final byte[] b, final int p)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }
}
