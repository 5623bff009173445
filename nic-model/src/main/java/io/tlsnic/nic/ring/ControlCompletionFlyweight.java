package io.tlsnic.nic.ring;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Control-queue completion, 16 bytes, little-endian; the owner word is written last with an ordered store.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |             command index (u32, low bits of its seq)          |  0
 *  +---------------------------------------------------------------+
 *  |                      context id (u32)                         |  4
 *  +---------------+---------------+-------------------------------+
 *  |  opcode (u8)  |  status (u8)  |       reserved, zero (u16)    |  8
 *  +---------------+---------------+-----------------------------+-+
 *  |                 owner word (u32), bit 0 = phase             |P| 12
 *  +-------------------------------------------------------------+-+
 *
 *  status: 0 OK, 1 TABLE_FULL, 2 UNSUPPORTED, 3 BAD_COMMAND
 * </pre>
 */
public final class ControlCompletionFlyweight
{
    /** Offset of the command index (u32). */
    public static final int COMMAND_INDEX_OFFSET = 0;
    /** Offset of the context id (u32). */
    public static final int CONTEXT_ID_OFFSET = COMMAND_INDEX_OFFSET + 4;
    /** Offset of the opcode (u8). */
    public static final int OPCODE_OFFSET = CONTEXT_ID_OFFSET + 4;
    /** Offset of the status (u8). */
    public static final int STATUS_OFFSET = OPCODE_OFFSET + 1;
    /** Offset of the reserved u16. */
    public static final int RESERVED_OFFSET = STATUS_OFFSET + 1;
    /** Offset of the owner word (u32), published last. */
    public static final int OWNER_OFFSET = RESERVED_OFFSET + 2;
    /** Entry length. */
    public static final int LENGTH = OWNER_OFFSET + 4;

    /** Done. */
    public static final int STATUS_OK = 0;
    /** INSTALL refused: no free context slot. */
    public static final int STATUS_TABLE_FULL = 1;
    /** Version x cipher not offloaded, or an operation this device does not implement. */
    public static final int STATUS_UNSUPPORTED = 2;
    /** Malformed: unknown opcode or direction, bad key block, unknown or duplicate context or flow. */
    public static final int STATUS_BAD_COMMAND = 3;

    private ControlCompletionFlyweight()
    {
    }

    /**
     * Writes the body (the owner word is written by {@link CompletionProducer#publish()}).
     *
     * @param s store. @param o offset. @param commandIndex low 32 bits of the command's sequence.
     * @param contextId context. @param opcode the command's opcode. @param status STATUS_*.
     */
    public static void writeBody(
        final BytesStore<?, ?> s, final long o, final int commandIndex, final int contextId, final int opcode,
        final int status)
    {
        s.writeInt(o + COMMAND_INDEX_OFFSET, commandIndex);
        s.writeInt(o + CONTEXT_ID_OFFSET, contextId);
        s.writeUnsignedByte(o + OPCODE_OFFSET, opcode);
        s.writeUnsignedByte(o + STATUS_OFFSET, status);
        s.writeUnsignedShort(o + RESERVED_OFFSET, 0);
    }

    /** @param s store. @param o offset. @return command index (u32 as a long). */
    public static long commandIndex(final BytesStore<?, ?> s, final long o)
    {
        return s.readUnsignedInt(o + COMMAND_INDEX_OFFSET);
    }

    /** @param s store. @param o offset. @return context id. */
    public static int contextId(final BytesStore<?, ?> s, final long o)
    {
        return s.readInt(o + CONTEXT_ID_OFFSET);
    }

    /** @param s store. @param o offset. @return opcode. */
    public static int opcode(final BytesStore<?, ?> s, final long o)
    {
        return s.readUnsignedByte(o + OPCODE_OFFSET);
    }

    /** @param s store. @param o offset. @return status. */
    public static int status(final BytesStore<?, ?> s, final long o)
    {
        return s.readUnsignedByte(o + STATUS_OFFSET);
    }
}
