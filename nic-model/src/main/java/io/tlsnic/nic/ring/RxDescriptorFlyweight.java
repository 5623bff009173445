package io.tlsnic.nic.ring;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * RX buffer descriptor, 16 bytes, little-endian: an empty buffer the device may fill with one received frame.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  buffer DMA address (u64)                  ...|  0
 *  |...                                                            |  4
 *  +---------------------------------------------------------------+
 *  |                     buffer length (u32)                       |  8
 *  +---------------------------------------------------------------+
 *  |                     reserved, zero (u32)                      | 12
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class RxDescriptorFlyweight
{
    /** Offset of the buffer DMA address (u64). */
    public static final int BUFFER_ADDRESS_OFFSET = 0;
    /** Offset of the buffer length (u32). */
    public static final int BUFFER_LENGTH_OFFSET = BUFFER_ADDRESS_OFFSET + 8;
    /** Offset of the reserved word (u32, zero). */
    public static final int RESERVED_OFFSET = BUFFER_LENGTH_OFFSET + 4;
    /** Descriptor length. */
    public static final int LENGTH = RESERVED_OFFSET + 4;

    private RxDescriptorFlyweight()
    {
    }

    /** @param s store. @param o offset. @param bufferAddress DMA address. @param bufferLength bytes. */
    public static void write(final BytesStore<?, ?> s, final long o, final long bufferAddress, final int bufferLength)
    {
        EntryAccess.writeLong(s, o + BUFFER_ADDRESS_OFFSET, bufferAddress);
        EntryAccess.writeInt(s, o + BUFFER_LENGTH_OFFSET, bufferLength);
        EntryAccess.writeInt(s, o + RESERVED_OFFSET, 0);
    }

    /** @param s store. @param o offset. @return buffer DMA address. */
    public static long bufferAddress(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readLong(s, o + BUFFER_ADDRESS_OFFSET);
    }

    /** @param s store. @param o offset. @return buffer length (u32 as a long). */
    public static long bufferLength(final BytesStore<?, ?> s, final long o)
    {
        return EntryAccess.readUnsignedInt(s, o + BUFFER_LENGTH_OFFSET);
    }
}
