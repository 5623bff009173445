package io.tlsnic.nic.ring;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Completion queue entry, 32 bytes, little-endian; the owner word is written last with an ordered store
 * ({@link CompletionProducer}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            descriptor index (u32, low bits of its seq)        |  0
 *  +-------------------------------+---------------+---------------+
 *  |         queue id (u16)        |   kind (u8)   | TLS status(u8)|  4
 *  +-------------------------------+---------------+---------------+
 *  |                      byte count (u32)                         |  8
 *  +---------------------------------------------------------------+
 *  |                    TLS context id (u32)                       | 12
 *  +---------------------------------------------------------------+
 *  |          TCP seq (u32, the header candidate of a resync)      | 16
 *  +---------------------------------------------------------------+
 *  |                       RSS hash (u32)                          | 20
 *  +-------------------------------+-------------------------------+
 *  |          flags (u16)          |       reserved, zero (u16)    | 24
 *  +-------------------------------+-----------------------------+-+
 *  |                 owner word (u32), bit 0 = phase             |P| 28
 *  +-------------------------------------------------------------+-+
 *
 *  kind:       0 TX done, 1 RX frame
 *  TLS status: 0 not decrypted, 1 decrypted, 2 resync request, 3 error   (OFFLOAD-CONTRACT section 5)
 *  flags:      bit 0 L3 checksum verified good, bit 1 L4 checksum verified good, bit 2 checksum bad,
 *              bit 3 async resync progress (with TLS status 2)
 * </pre>
 */
public final class CompletionFlyweight
{
    /** Offset of the descriptor index (u32). */
    public static final int DESCRIPTOR_INDEX_OFFSET = 0;
    /** Offset of the queue id (u16). */
    public static final int QUEUE_ID_OFFSET = DESCRIPTOR_INDEX_OFFSET + 4;
    /** Offset of the kind (u8). */
    public static final int KIND_OFFSET = QUEUE_ID_OFFSET + 2;
    /** Offset of the TLS status (u8). */
    public static final int TLS_STATUS_OFFSET = KIND_OFFSET + 1;
    /** Offset of the byte count (u32). */
    public static final int BYTE_COUNT_OFFSET = TLS_STATUS_OFFSET + 1;
    /** Offset of the TLS context id (u32). */
    public static final int TLS_CONTEXT_ID_OFFSET = BYTE_COUNT_OFFSET + 4;
    /** Offset of the TCP seq (u32). */
    public static final int TCP_SEQ_OFFSET = TLS_CONTEXT_ID_OFFSET + 4;
    /** Offset of the RSS hash (u32). */
    public static final int RSS_HASH_OFFSET = TCP_SEQ_OFFSET + 4;
    /** Offset of the flags (u16). */
    public static final int FLAGS_OFFSET = RSS_HASH_OFFSET + 4;
    /** Offset of the reserved u16. */
    public static final int RESERVED_OFFSET = FLAGS_OFFSET + 2;
    /** Offset of the owner word (u32), published last. */
    public static final int OWNER_OFFSET = RESERVED_OFFSET + 2;
    /** Entry length. */
    public static final int LENGTH = OWNER_OFFSET + 4;

    /** Kind: a TX packet was sent and its descriptors can be reused. */
    public static final int KIND_TX = 0;
    /** Kind: a frame was received into an RX buffer. */
    public static final int KIND_RX = 1;

    /** TLS status: not decrypted (delivered unmodified). */
    public static final int TLS_NOT_DECRYPTED = 0;
    /** TLS status: every record part decrypted and, where the tag was present, authenticated. */
    public static final int TLS_DECRYPTED = 1;
    /** TLS status: the device asks the host to confirm a record header at {@code TCP seq}. */
    public static final int TLS_RESYNC_REQUEST = 2;
    /** TLS status: error (e.g. authentication failed); delivered unmodified. */
    public static final int TLS_ERROR = 3;

    /** Flag: L3 checksum verified good. */
    public static final int FLAG_L3_CSUM_OK = 1;
    /** Flag: L4 checksum verified good. */
    public static final int FLAG_L4_CSUM_OK = 1 << 1;
    /** Flag: a checksum was bad. */
    public static final int FLAG_CSUM_BAD = 1 << 2;
    /** With TLS status 2 in async resync mode: the TCP seq is the header the device tracks now, not a new candidate. */
    public static final int FLAG_RESYNC_ASYNC_PROGRESS = 1 << 3;

    private CompletionFlyweight()
    {
    }

    /**
     * Writes the body (everything but the owner word, which {@link CompletionProducer#publish()} writes).
     *
     * @param s store. @param o entry offset. @param descriptorIndex low 32 bits of the descriptor's sequence.
     * @param queueId queue. @param kind KIND_*. @param tlsStatus TLS_*. @param byteCount bytes.
     * @param tlsContextId context. @param tcpSeq TCP seq (resync requests). @param rssHash RSS hash.
     * @param flags FLAG_*.
     */
    public static void writeBody(
        final BytesStore<?, ?> s, final long o, final int descriptorIndex, final int queueId, final int kind,
        final int tlsStatus, final int byteCount, final int tlsContextId, final int tcpSeq, final int rssHash,
        final int flags)
    {
        EntryAccess.writeInt(s, o + DESCRIPTOR_INDEX_OFFSET, descriptorIndex);
        EntryAccess.writeUnsignedShort(s, o + QUEUE_ID_OFFSET, queueId);
        EntryAccess.writeUnsignedByte(s, o + KIND_OFFSET, kind);
        EntryAccess.writeUnsignedByte(s, o + TLS_STATUS_OFFSET, tlsStatus);
        EntryAccess.writeInt(s, o + BYTE_COUNT_OFFSET, byteCount);
        EntryAccess.writeInt(s, o + TLS_CONTEXT_ID_OFFSET, tlsContextId);
        EntryAccess.writeInt(s, o + TCP_SEQ_OFFSET, tcpSeq);
        EntryAccess.writeInt(s, o + RSS_HASH_OFFSET, rssHash);
        EntryAccess.writeUnsignedShort(s, o + FLAGS_OFFSET, flags);
        EntryAccess.writeUnsignedShort(s, o + RESERVED_OFFSET, 0);
    }

    /** @param s store. @param o offset. @return descriptor index (u32 as a long). */
    public static long descriptorIndex(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedInt(s, o + DESCRIPTOR_INDEX_OFFSET);
    }

    /** @param s store. @param o offset. @return queue id. */
    public static int queueId(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedShort(s, o + QUEUE_ID_OFFSET);
    }

    /** @param s store. @param o offset. @return kind. */
    public static int kind(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedByte(s, o + KIND_OFFSET);
    }

    /** @param s store. @param o offset. @return TLS status. */
    public static int tlsStatus(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedByte(s, o + TLS_STATUS_OFFSET);
    }

    /** @param s store. @param o offset. @return byte count (u32 as a long). */
    public static long byteCount(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedInt(s, o + BYTE_COUNT_OFFSET);
    }

    /** @param s store. @param o offset. @return TLS context id. */
    public static int tlsContextId(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readInt(s, o + TLS_CONTEXT_ID_OFFSET);
    }

    /** @param s store. @param o offset. @return TCP seq (u32 as a long). */
    public static long tcpSeq(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedInt(s, o + TCP_SEQ_OFFSET);
    }

    /** @param s store. @param o offset. @return RSS hash. */
    public static int rssHash(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readInt(s, o + RSS_HASH_OFFSET);
    }

    /** @param s store. @param o offset. @return flags. */
    public static int flags(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedShort(s, o + FLAGS_OFFSET);
    }

    /** @param s store. @param o offset. @return the owner word, read with acquire semantics. */
    public static int ownerWordVolatile(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readIntAcquire(s, o + OWNER_OFFSET);
    }
}
