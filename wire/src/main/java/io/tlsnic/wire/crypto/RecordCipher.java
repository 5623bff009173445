package io.tlsnic.wire.crypto;

import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Seals and opens whole TLS records for one direction of one connection: TLS 1.2 and 1.3 with AES-128-GCM,
 * AES-256-GCM and ChaCha20-Poly1305, keyed the way {@code crypto_info} keys kTLS.
 *
 * <pre>
 *   TLS 1.2 AES-GCM : hdr(5: type 03 03 len) | explicit nonce(8) | ciphertext | tag(16)
 *   TLS 1.2 ChaCha  : hdr(5: type 03 03 len) | ciphertext | tag(16)
 *   TLS 1.3         : hdr(5: 17 03 03 len)   | ciphertext of (content | type(1) | zeros(padding)) | tag(16)
 * </pre>
 *
 * The TLS 1.2 AES-GCM explicit nonce follows kTLS: it starts at {@code crypto_info.iv} for the record numbered
 * {@code crypto_info.rec_seq} and grows by one per record (net/tls: {@code tls_advance_record_sn}).
 */
public final class RecordCipher
{
    private final TlsVersion version;
    private final TlsCipher cipher;
    private final JceAead aead;
    private final byte[] saltAndIv = new byte[12];
    private final long explicitDelta;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[16];
    private int lastContentType = -1;

    /**
     * @param version TLS version.
     * @param cipher cipher (AES-GCM-128/256 or ChaCha20-Poly1305).
     * @param key key bytes (copied).
     * @param salt crypto_info salt: 4 bytes for AES-GCM, empty for ChaCha20.
     * @param iv crypto_info iv: 8 bytes for AES-GCM, 12 for ChaCha20.
     * @param recSeq crypto_info rec_seq: the number of the first record this cipher handles.
     */
    public RecordCipher(
        final TlsVersion version, final TlsCipher cipher, final byte[] key, final byte[] salt, final byte[] iv,
        final long recSeq)
    {
        if (!cipher.implemented())
        {
            throw new TlsErrnoException(Errno.EINVAL, cipher + " is not supported by the record layer");
        }
        if (salt.length != cipher.saltLength() || iv.length != cipher.ivLength())
        {
            throw new TlsErrnoException(Errno.EINVAL, cipher + " needs salt " + cipher.saltLength() + " and iv "
                + cipher.ivLength() + " bytes, got " + salt.length + " and " + iv.length);
        }
        this.version = version;
        this.cipher = cipher;
        this.aead = new JceAead(cipher, key);
        System.arraycopy(salt, 0, saltAndIv, 0, salt.length);
        System.arraycopy(iv, 0, saltAndIv, salt.length, iv.length);
        this.explicitDelta = cipher.explicitNonceLength(version) == 8
            ? RecordProtection.readLong(iv, 0) - recSeq
            : 0;
    }

    /** @return the TLS version. */
    public TlsVersion version()
    {
        return version;
    }

    /** @return the cipher. */
    public TlsCipher cipher()
    {
        return cipher;
    }

    /**
     * @param plaintextLength content bytes.
     * @param paddingLength TLS 1.3 zero padding (0 for TLS 1.2).
     * @return length of the sealed record including its header.
     */
    public int sealedLength(final int plaintextLength, final int paddingLength)
    {
        return RecordProtection.overhead(version, cipher) + plaintextLength + paddingLength;
    }

    /**
     * The explicit nonce the sender puts on record {@code seq} (TLS 1.2 AES-GCM).
     *
     * @param seq record number.
     * @return the 8-byte explicit nonce as an unsigned 64-bit value.
     */
    public long explicitNonceFor(final long seq)
    {
        return seq + explicitDelta;
    }

    /**
     * Seals one record.
     *
     * @param seq record sequence number.
     * @param contentType real content type (23 data, 21 alert, 22 handshake, ...).
     * @param plaintext content bytes.
     * @param offset first content byte.
     * @param length content length, at most 2^14.
     * @param paddingLength TLS 1.3 zero padding after the type byte; must be 0 for TLS 1.2.
     * @param out destination of {@link #sealedLength} bytes (must not overlap the plaintext).
     * @param outOffset where the record header goes.
     * @return bytes written.
     */
    public int seal(
        final long seq, final int contentType, final byte[] plaintext, final int offset, final int length,
        final int paddingLength, final byte[] out, final int outOffset)
    {
        if (length < 0 || length > RecordProtection.MAX_PLAINTEXT_LENGTH)
        {
            throw new TlsErrnoException(Errno.EMSGSIZE, "record plaintext " + length + " bytes exceeds "
                + RecordProtection.MAX_PLAINTEXT_LENGTH + " at record " + Long.toUnsignedString(seq));
        }
        if (paddingLength != 0 && version != TlsVersion.TLS_1_3)
        {
            throw new TlsErrnoException(Errno.EINVAL, "padding exists only in TLS 1.3");
        }
        final int explicitLength = cipher.explicitNonceLength(version);
        final int total = sealedLength(length, paddingLength);
        final int textOffset = outOffset + RecordProtection.HEADER_LENGTH + explicitLength;
        if (version == TlsVersion.TLS_1_3)
        {
            final int inner = length + 1 + paddingLength;
            RecordProtection.writeHeader(out, outOffset, 23, inner + TlsCipher.TAG_LENGTH);
            System.arraycopy(plaintext, offset, out, textOffset, length);
            out[textOffset + length] = (byte)contentType;
            java.util.Arrays.fill(out, textOffset + length + 1, textOffset + inner, (byte)0);
            RecordProtection.nonce(version, cipher, saltAndIv, seq, null, 0, nonce, 0);
            RecordProtection.aad(version, seq, 23, inner, aad, 0);
            aead.seal(nonce, 0, aad, 0, RecordProtection.TLS13_AAD_LENGTH, out, textOffset, inner, out, textOffset);
            return total;
        }
        RecordProtection.writeHeader(out, outOffset, contentType, total - RecordProtection.HEADER_LENGTH);
        if (explicitLength == 8)
        {
            RecordProtection.writeLong(out, outOffset + RecordProtection.HEADER_LENGTH, explicitNonceFor(seq));
        }
        RecordProtection.nonce(
            version, cipher, saltAndIv, seq, out, outOffset + RecordProtection.HEADER_LENGTH, nonce, 0);
        RecordProtection.aad(version, seq, contentType, length, aad, 0);
        aead.seal(nonce, 0, aad, 0, RecordProtection.TLS12_AAD_LENGTH, plaintext, offset, length, out, textOffset);
        return total;
    }

    /**
     * Opens one whole record (header included) and authenticates it.
     *
     * @param seq record sequence number.
     * @param record record bytes.
     * @param offset offset of the record header.
     * @param recordLength bytes available for the record (header + body).
     * @param out destination of the content (may be the record buffer itself).
     * @param outOffset where the content goes.
     * @return content length; the content type is then {@link #lastContentType()}.
     * @throws TlsErrnoException EINVAL (version field), EMSGSIZE (length), EBADMSG (authentication, or a
     *     TLS 1.3 plaintext with no content type).
     */
    public int open(
        final long seq, final byte[] record, final int offset, final int recordLength, final byte[] out,
        final int outOffset)
    {
        lastContentType = -1;
        if (recordLength < RecordProtection.HEADER_LENGTH)
        {
            throw new TlsErrnoException(Errno.EMSGSIZE, "record of " + recordLength + " bytes has no whole header");
        }
        final int type = record[offset] & 0xFF;
        final int legacyVersion = ((record[offset + 1] & 0xFF) << 8) | (record[offset + 2] & 0xFF);
        final int bodyLength = ((record[offset + 3] & 0xFF) << 8) | (record[offset + 4] & 0xFF);
        if (legacyVersion != 0x0303)
        {
            throw new TlsErrnoException(Errno.EINVAL, String.format(
                "record version 0x%04x is not 0x0303 at record %s", legacyVersion, Long.toUnsignedString(seq)));
        }
        final int explicitLength = cipher.explicitNonceLength(version);
        final int minBody = explicitLength + TlsCipher.TAG_LENGTH + (version == TlsVersion.TLS_1_3 ? 1 : 0);
        final int maxBody = RecordProtection.maxRecordBodyLength(version, cipher);
        if (bodyLength > maxBody || bodyLength < minBody)
        {
            throw new TlsErrnoException(Errno.EMSGSIZE, "record length " + bodyLength + (bodyLength > maxBody
                ? " exceeds " + maxBody : " is below the minimum " + minBody) + " at record "
                + Long.toUnsignedString(seq));
        }
        if (RecordProtection.HEADER_LENGTH + bodyLength > recordLength)
        {
            throw new TlsErrnoException(Errno.EMSGSIZE, "record length " + bodyLength + " but only "
                + (recordLength - RecordProtection.HEADER_LENGTH) + " bytes given at record "
                + Long.toUnsignedString(seq));
        }
        final int textOffset = offset + RecordProtection.HEADER_LENGTH + explicitLength;
        final int cipherLength = bodyLength - explicitLength;
        final int plainLength = cipherLength - TlsCipher.TAG_LENGTH;
        RecordProtection.nonce(version, cipher, saltAndIv, seq, record, offset + RecordProtection.HEADER_LENGTH,
            nonce, 0);
        final int aadLength = version == TlsVersion.TLS_1_3
            ? copyHeaderAsAad(record, offset)
            : RecordProtection.aad(version, seq, type, plainLength, aad, 0);
        final int opened = aead.open(nonce, 0, aad, 0, aadLength, record, textOffset, cipherLength, out, outOffset);
        if (opened < 0)
        {
            throw new TlsErrnoException(Errno.EBADMSG, "record authentication failed at record "
                + Long.toUnsignedString(seq));
        }
        if (version == TlsVersion.TLS_1_2)
        {
            lastContentType = type;
            return opened;
        }
        int end = outOffset + opened - 1;
        while (end >= outOffset && out[end] == 0)
        {
            end--;
        }
        if (end < outOffset)
        {
            throw new TlsErrnoException(Errno.EBADMSG, "TLS 1.3 record has no content type (all "
                + opened + " bytes are zero) at record " + Long.toUnsignedString(seq));
        }
        lastContentType = out[end] & 0xFF;
        return end - outOffset;
    }

    /** @return content type of the last record {@link #open} returned, or -1. */
    public int lastContentType()
    {
        return lastContentType;
    }

    private int copyHeaderAsAad(final byte[] record, final int offset)
    {
        System.arraycopy(record, offset, aad, 0, RecordProtection.TLS13_AAD_LENGTH);
        return RecordProtection.TLS13_AAD_LENGTH;
    }
}
