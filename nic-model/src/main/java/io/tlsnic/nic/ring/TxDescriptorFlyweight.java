package io.tlsnic.nic.ring;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * TX descriptor, 32 bytes, little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  buffer DMA address (u64)                  ...|  0
 *  |...                                                            |  4
 *  +---------------------------------------------------------------+
 *  |                     buffer length (u32)                       |  8
 *  +-------------------------------+-------------------------------+
 *  |          flags (u16)          |           mss (u16)           | 12
 *  +-------------------------------+-------------------------------+
 *  |                    TLS context id (u32)                       | 16
 *  +-------------------------------+-------------------------------+
 *  |        L3 offset (u16)        |        L4 offset (u16)        | 20
 *  +-------------------------------+-------------------------------+
 *  |           TLS sync word (u64): see FLAG_DUMP, FLAG_CTX_SYNC ...| 24
 *  |...                                                            | 28
 *  +---------------------------------------------------------------+
 *
 *  flags: bit 0 EOP  last descriptor of a packet
 *         bit 1 TSO  segment the packet's TCP payload into frames of mss bytes
 *         bit 2 L3_CSUM  fill the IPv4 header checksum
 *         bit 3 L4_CSUM  fill the TCP checksum (L4 offset says where the TCP header starts)
 *         bit 4 TLS  encrypt the TLS records in the payload with context "TLS context id"
 *         bit 5 DUMP the buffer is record bytes to run through the TX engine of the context WITHOUT sending them
 *                    (the prefix of a record being rebuilt, mlx5 DUMP); its TCP seq is the low 32 bits of the
 *                    sync word; no headers
 *         bit 6 CTX_SYNC no buffer: move the TX context to TCP seq = buffer length (u32) and record number = sync
 *                    word (u64), a record start (mlx5 progress params); ordered with the data of the same ring
 * </pre>
 *
 * Gather lists are <b>chains</b>: a packet is one or more consecutive descriptors, one buffer each, the last with
 * EOP; the offload fields (flags other than EOP, mss, context id, offsets) are read from the first descriptor of
 * the chain only. Chosen over a scatter-gather-list pointer because the ring stays the only structure the device
 * fetches (no second DMA indirection, no list memory to manage), as in e1000e/igb data descriptors and mlx5 WQE
 * data segments. The doorbell publishes whole chains: the driver rings it only after an EOP descriptor.
 */
public final class TxDescriptorFlyweight
{
    /** Offset of the buffer DMA address (u64). */
    public static final int BUFFER_ADDRESS_OFFSET = 0;
    /** Offset of the buffer length (u32). */
    public static final int BUFFER_LENGTH_OFFSET = BUFFER_ADDRESS_OFFSET + 8;
    /** Offset of the flags (u16). */
    public static final int FLAGS_OFFSET = BUFFER_LENGTH_OFFSET + 4;
    /** Offset of the TSO maximum segment size (u16). */
    public static final int MSS_OFFSET = FLAGS_OFFSET + 2;
    /** Offset of the TLS context id (u32). */
    public static final int TLS_CONTEXT_ID_OFFSET = MSS_OFFSET + 2;
    /** Offset of the L3 (IP) header offset in the frame (u16). */
    public static final int L3_OFFSET_OFFSET = TLS_CONTEXT_ID_OFFSET + 4;
    /** Offset of the L4 (TCP) header offset in the frame (u16). */
    public static final int L4_OFFSET_OFFSET = L3_OFFSET_OFFSET + 2;
    /** Offset of the TLS sync word (u64; zero unless DUMP or CTX_SYNC). */
    public static final int TLS_SYNC_OFFSET = L4_OFFSET_OFFSET + 2;
    /** Descriptor length. */
    public static final int LENGTH = TLS_SYNC_OFFSET + 8;

    /** Last descriptor of a packet. */
    public static final int FLAG_EOP = 1;
    /** TCP segmentation offload with {@code mss}. */
    public static final int FLAG_TSO = 1 << 1;
    /** IPv4 header checksum offload. */
    public static final int FLAG_L3_CSUM = 1 << 2;
    /** TCP checksum offload. */
    public static final int FLAG_L4_CSUM = 1 << 3;
    /** Inline TLS encryption with the descriptor's context. */
    public static final int FLAG_TLS = 1 << 4;
    /** Run the buffer through the context's TX engine without sending it. */
    public static final int FLAG_DUMP = 1 << 5;
    /** Resynchronise the context's TX engine to (buffer length = TCP seq, sync word = record number). */
    public static final int FLAG_CTX_SYNC = 1 << 6;

    private TxDescriptorFlyweight()
    {
    }

    /**
     * Writes a whole descriptor (reserved word zeroed).
     *
     * @param s store. @param o descriptor offset. @param bufferAddress DMA address. @param bufferLength bytes.
     * @param flags FLAG_* bits. @param mss TSO segment size. @param tlsContextId context (when FLAG_TLS).
     * @param l3Offset IP header offset in the frame. @param l4Offset TCP header offset in the frame.
     */
    public static void write(
        final BytesStore<?, ?> s, final long o, final long bufferAddress, final int bufferLength, final int flags,
        final int mss, final int tlsContextId, final int l3Offset, final int l4Offset)
    {
        EntryAccess.writeLong(s, o + BUFFER_ADDRESS_OFFSET, bufferAddress);
        EntryAccess.writeInt(s, o + BUFFER_LENGTH_OFFSET, bufferLength);
        EntryAccess.writeUnsignedShort(s, o + FLAGS_OFFSET, flags);
        EntryAccess.writeUnsignedShort(s, o + MSS_OFFSET, mss);
        EntryAccess.writeInt(s, o + TLS_CONTEXT_ID_OFFSET, tlsContextId);
        EntryAccess.writeUnsignedShort(s, o + L3_OFFSET_OFFSET, l3Offset);
        EntryAccess.writeUnsignedShort(s, o + L4_OFFSET_OFFSET, l4Offset);
        EntryAccess.writeLong(s, o + TLS_SYNC_OFFSET, 0);
    }

    /** Writes the TLS sync word (after {@link #write}, which zeroes it). */
    public static void tlsSync(final BytesStore<?, ?> s, final long o, final long value)
    {
        EntryAccess.writeLong(s, o + TLS_SYNC_OFFSET, value);
    }

    /** @return the TLS sync word. */
    public static long tlsSync(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readLong(s, o + TLS_SYNC_OFFSET);
    }

    /** @param s store. @param o descriptor offset. @return buffer DMA address. */
    public static long bufferAddress(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readLong(s, o + BUFFER_ADDRESS_OFFSET);
    }

    /** @param s store. @param o descriptor offset. @return buffer length in bytes (u32 as a long). */
    public static long bufferLength(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedInt(s, o + BUFFER_LENGTH_OFFSET);
    }

    /** @param s store. @param o descriptor offset. @return flags. */
    public static int flags(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedShort(s, o + FLAGS_OFFSET);
    }

    /** @param s store. @param o descriptor offset. @return TSO mss. */
    public static int mss(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedShort(s, o + MSS_OFFSET);
    }

    /** @param s store. @param o descriptor offset. @return TLS context id. */
    public static int tlsContextId(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readInt(s, o + TLS_CONTEXT_ID_OFFSET);
    }

    /** @param s store. @param o descriptor offset. @return IP header offset in the frame. */
    public static int l3Offset(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedShort(s, o + L3_OFFSET_OFFSET);
    }

    /** @param s store. @param o descriptor offset. @return TCP header offset in the frame. */
    public static int l4Offset(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedShort(s, o + L4_OFFSET_OFFSET);
    }
}
