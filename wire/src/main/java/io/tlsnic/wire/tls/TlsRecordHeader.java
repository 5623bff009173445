package io.tlsnic.wire.tls;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The 5-byte TLS record header (RFC 8446 section 5.1, RFC 5246 section 6.2.1), in network byte order.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Content Type  |   Legacy Record Version (3,1..4)  |  Length   |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  (Length lo)  |  fragment: Length bytes ...                       4
 *  +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Content type at 0, version at 1..2, length at 3..4. A record header may straddle TCP segments; callers that
 * frame records from a stream probe with {@link #isPlausible} before they have the whole record.
 */
public final class TlsRecordHeader
{
    public static final int CONTENT_TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int LENGTH_OFFSET = 3;
    public static final int HEADER_LENGTH = 5;

    public static final int CONTENT_TYPE_CHANGE_CIPHER_SPEC = 20;
    public static final int CONTENT_TYPE_ALERT = 21;
    public static final int CONTENT_TYPE_HANDSHAKE = 22;
    public static final int CONTENT_TYPE_APPLICATION_DATA = 23;

    /** 2^14: the largest plaintext fragment (RFC 8446 section 5.1). */
    public static final int MAX_PLAINTEXT_LENGTH = 1 << 14;
    /**
     * 2^14 + 2048: the largest TLSCiphertext.length RFC 5246 section 6.2.3 allows; TLS 1.3 allows only 2^14 + 256,
     * so this bound accepts every valid record of both versions.
     */
    public static final int MAX_CIPHERTEXT_LENGTH = MAX_PLAINTEXT_LENGTH + 2048;

    private BytesStore<?, ?> store;
    private long offset;

    /**
     * @return this.
     * @throws IndexOutOfBoundsException when fewer than 5 bytes lie between {@code offset} and the read limit.
     */
    public TlsRecordHeader wrap(final BytesStore<?, ?> store, final long offset)
    {
        if (offset < store.start() || offset > store.readLimit() - HEADER_LENGTH)
        {
            throw new IndexOutOfBoundsException(
                "TLS record header needs 5 bytes but " + Math.max(0, store.readLimit() - offset) +
                " bytes are available at offset " + offset);
        }
        this.store = store;
        this.offset = offset;
        return this;
    }

    /** @return absolute index of the header in the store. */
    public long offset()
    {
        return offset;
    }

    public int contentType()
    {
        return store.readUnsignedByte(offset + CONTENT_TYPE_OFFSET);
    }

    public TlsRecordHeader contentType(final int contentType)
    {
        store.writeByte(offset + CONTENT_TYPE_OFFSET, (byte)contentType);
        return this;
    }

    /** @return legacy record version, e.g. 0x0303 (always 0x0303 for TLS 1.3 records after the ClientHello). */
    public int legacyVersion()
    {
        return readUnsignedShort(offset + VERSION_OFFSET);
    }

    public TlsRecordHeader legacyVersion(final int version)
    {
        writeShort(offset + VERSION_OFFSET, version);
        return this;
    }

    /** @return length of the record body that follows the header, in bytes. */
    public int length()
    {
        return readUnsignedShort(offset + LENGTH_OFFSET);
    }

    public TlsRecordHeader length(final int length)
    {
        writeShort(offset + LENGTH_OFFSET, length);
        return this;
    }

    /** @return 5. */
    public int headerLength()
    {
        return HEADER_LENGTH;
    }

    /** @return header plus body length in bytes. */
    public int recordLength()
    {
        return HEADER_LENGTH + length();
    }

    /** @return whether the wrapped header passes {@link #isPlausible(int, int, int)}. */
    public boolean isPlausible()
    {
        return isPlausible(contentType(), legacyVersion(), length());
    }

    /**
     * Whether 5 bytes look like a TLS 1.2 or 1.3 record header: content type 20..23, legacy version 3.1..3.4
     * (0x0301 appears on a ClientHello, 0x0303 on everything else), length at most 2^14 + 2048.
     */
    public static boolean isPlausible(final int contentType, final int legacyVersion, final int length)
    {
        return contentType >= CONTENT_TYPE_CHANGE_CIPHER_SPEC && contentType <= CONTENT_TYPE_APPLICATION_DATA &&
            legacyVersion >= 0x0301 && legacyVersion <= 0x0304 &&
            length >= 0 && length <= MAX_CIPHERTEXT_LENGTH;
    }

    /**
     * Probes {@code available} bytes at {@code index} without wrapping: never throws and never reads outside
     * {@code [index, index + available)} or the store.
     *
     * @return whether at least 5 bytes are there and they pass {@link #isPlausible(int, int, int)}.
     */
    public static boolean isPlausible(final BytesStore<?, ?> store, final long index, final long available)
    {
        if (available < HEADER_LENGTH || index < store.start() || index > store.readLimit() - HEADER_LENGTH)
        {
            return false;
        }
        final int contentType = store.readUnsignedByte(index + CONTENT_TYPE_OFFSET);
        final int version = (store.readUnsignedByte(index + VERSION_OFFSET) << 8) |
            store.readUnsignedByte(index + VERSION_OFFSET + 1);
        final int length = (store.readUnsignedByte(index + LENGTH_OFFSET) << 8) |
            store.readUnsignedByte(index + LENGTH_OFFSET + 1);
        return isPlausible(contentType, version, length);
    }

    /** @return a name such as "handshake" for content types 20..23, otherwise the number. */
    public static String contentTypeName(final int contentType)
    {
        switch (contentType)
        {
            case CONTENT_TYPE_CHANGE_CIPHER_SPEC:
                return "change_cipher_spec";
            case CONTENT_TYPE_ALERT:
                return "alert";
            case CONTENT_TYPE_HANDSHAKE:
                return "handshake";
            case CONTENT_TYPE_APPLICATION_DATA:
                return "application_data";
            default:
                return Integer.toString(contentType);
        }
    }

    private int readUnsignedShort(final long index)
    {
        return (store.readUnsignedByte(index) << 8) | store.readUnsignedByte(index + 1);
    }

    private void writeShort(final long index, final int value)
    {
        store.writeByte(index, (byte)(value >>> 8));
        store.writeByte(index + 1, (byte)value);
    }
}
