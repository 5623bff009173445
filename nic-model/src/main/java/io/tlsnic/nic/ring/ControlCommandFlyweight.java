package io.tlsnic.nic.ring;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Control-queue command, 32 bytes, little-endian: context operations the driver asks of the device.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  opcode (u8)  | direction (u8)|    key block length (u16)     |  0
 *  +---------------+---------------+-------------------------------+
 *  |                      context id (u32)                         |  4
 *  +---------------------------------------------------------------+
 *  |                 key block DMA address (u64)                ...|  8
 *  |...                                                            | 12
 *  +---------------------------------------------------------------+
 *  |                   TCP seq (u32): start / resync               | 16
 *  +---------------------------------------------------------------+
 *  |                     reserved, zero (u32)                      | 20
 *  +---------------------------------------------------------------+
 *  |               record number (u64, unsigned)                ...| 24
 *  |...                                                            | 28
 *  +---------------------------------------------------------------+
 *
 *  opcode:    1 INSTALL        key block (flow key + crypto_info), TCP seq = start seq; record number from rec_seq
 *             2 UPDATE_RESYNC  context id, TCP seq of a record start, its record number
 *             3 REMOVE         context id
 *             4 DUMP_PREFIX    placeholder for the TX rebuild step (completes UNSUPPORTED for now)
 *  direction: 0 TX, 1 RX
 * </pre>
 */
public final class ControlCommandFlyweight
{
    /** Offset of the opcode (u8). */
    public static final int OPCODE_OFFSET = 0;
    /** Offset of the direction (u8). */
    public static final int DIRECTION_OFFSET = OPCODE_OFFSET + 1;
    /** Offset of the key block length (u16). */
    public static final int KEY_BLOCK_LENGTH_OFFSET = DIRECTION_OFFSET + 1;
    /** Offset of the context id (u32). */
    public static final int CONTEXT_ID_OFFSET = KEY_BLOCK_LENGTH_OFFSET + 2;
    /** Offset of the key block DMA address (u64). */
    public static final int KEY_BLOCK_ADDRESS_OFFSET = CONTEXT_ID_OFFSET + 4;
    /** Offset of the TCP seq (u32). */
    public static final int TCP_SEQ_OFFSET = KEY_BLOCK_ADDRESS_OFFSET + 8;
    /** Offset of the reserved word (u32). */
    public static final int RESERVED_OFFSET = TCP_SEQ_OFFSET + 4;
    /** Offset of the record number (u64). */
    public static final int RECORD_NUMBER_OFFSET = RESERVED_OFFSET + 4;
    /** Command length. */
    public static final int LENGTH = RECORD_NUMBER_OFFSET + 8;

    /** Install a context. */
    public static final int OP_INSTALL = 1;
    /** Tell the context where a record starts and its number (RX resync answer, TX resync). */
    public static final int OP_UPDATE_RESYNC = 2;
    /** Remove a context, wiping its key. */
    public static final int OP_REMOVE = 3;
    /** Placeholder: feed a record prefix through the TX engine (DUMP). */
    public static final int OP_DUMP_PREFIX = 4;

    private ControlCommandFlyweight()
    {
    }

    /**
     * Writes a whole command.
     *
     * @param s store. @param o offset. @param opcode OP_*. @param direction 0 TX, 1 RX.
     * @param contextId context. @param keyBlockAddress DMA address of the key block (INSTALL), else 0.
     * @param keyBlockLength key block bytes (INSTALL), else 0. @param tcpSeq TCP seq (u32).
     * @param recordNumber record number (unsigned).
     */
    public static void write(
        final BytesStore<?, ?> s, final long o, final int opcode, final int direction, final int contextId,
        final long keyBlockAddress, final int keyBlockLength, final int tcpSeq, final long recordNumber)
    {
        s.writeUnsignedByte(o + OPCODE_OFFSET, opcode);
        s.writeUnsignedByte(o + DIRECTION_OFFSET, direction);
        s.writeUnsignedShort(o + KEY_BLOCK_LENGTH_OFFSET, keyBlockLength);
        s.writeInt(o + CONTEXT_ID_OFFSET, contextId);
        s.writeLong(o + KEY_BLOCK_ADDRESS_OFFSET, keyBlockAddress);
        s.writeInt(o + TCP_SEQ_OFFSET, tcpSeq);
        s.writeInt(o + RESERVED_OFFSET, 0);
        s.writeLong(o + RECORD_NUMBER_OFFSET, recordNumber);
    }

    /** @param s store. @param o offset. @return opcode. */
    public static int opcode(final BytesStore<?, ?> s, final long o)
    {
        return s.readUnsignedByte(o + OPCODE_OFFSET);
    }

    /** @param s store. @param o offset. @return direction. */
    public static int direction(final BytesStore<?, ?> s, final long o)
    {
        return s.readUnsignedByte(o + DIRECTION_OFFSET);
    }

    /** @param s store. @param o offset. @return key block length. */
    public static int keyBlockLength(final BytesStore<?, ?> s, final long o)
    {
        return s.readUnsignedShort(o + KEY_BLOCK_LENGTH_OFFSET);
    }

    /** @param s store. @param o offset. @return context id. */
    public static int contextId(final BytesStore<?, ?> s, final long o)
    {
        return s.readInt(o + CONTEXT_ID_OFFSET);
    }

    /** @param s store. @param o offset. @return key block DMA address. */
    public static long keyBlockAddress(final BytesStore<?, ?> s, final long o)
    {
        return s.readLong(o + KEY_BLOCK_ADDRESS_OFFSET);
    }

    /** @param s store. @param o offset. @return TCP seq (u32 as int). */
    public static int tcpSeq(final BytesStore<?, ?> s, final long o)
    {
        return s.readInt(o + TCP_SEQ_OFFSET);
    }

    /** @param s store. @param o offset. @return record number (unsigned 64-bit). */
    public static long recordNumber(final BytesStore<?, ?> s, final long o)
    {
        return s.readLong(o + RECORD_NUMBER_OFFSET);
    }
}
