package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Walks the options of a TCP header one at a time without allocating, and never reads outside the option bytes it
 * was wrapped over. {@link #next()} returns the kind of each option in turn (NOP included, so the caller sees the
 * exact layout), {@link #END} after the last option or at EOL, and {@link #MALFORMED} when an option's length byte
 * is missing, below 2, runs past the end of the options, or does not match its kind (RFC 9293, RFC 7323, RFC 2018).
 * After {@link #MALFORMED}, {@link #error()} says which option was wrong and why.
 *
 * <pre>{@code
 * options.wrap(tcp);
 * for (int kind = options.next(); kind >= 0; kind = options.next())
 * {
 *     if (kind == TcpOptionIterator.KIND_MSS) { mss = options.mss(); }
 * }
 * }</pre>
 */
public final class TcpOptionIterator
{
    public static final int KIND_EOL = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;

    public static final int MSS_LENGTH = 4;
    public static final int WINDOW_SCALE_LENGTH = 3;
    public static final int SACK_PERMITTED_LENGTH = 2;
    public static final int TIMESTAMPS_LENGTH = 10;
    /** Kind and length bytes of the SACK option, before its blocks. */
    public static final int SACK_HEADER_LENGTH = 2;
    public static final int SACK_BLOCK_LENGTH = 8;
    /** 2 + 4 * 8 = 34 bytes, the most that fits in 40 option bytes. */
    public static final int MAX_SACK_BLOCKS = 4;

    /** {@link #next()}: no more options. */
    public static final int END = -1;
    /** {@link #next()}: the option at the cursor is malformed; iteration stops there. */
    public static final int MALFORMED = -2;

    private BytesStore<?, ?> store;
    private long start;
    private long end;
    private long position;
    private int status;

    private int kind;
    private long optionIndex;
    private int optionLength;

    private int errorKind;
    private int errorLength;
    private long errorOffset;
    private String errorReason;

    /**
     * Iterates the options of a wrapped TCP header.
     *
     * @return this.
     * @throws IllegalArgumentException or IndexOutOfBoundsException when the header's data offset is invalid.
     */
    public TcpOptionIterator wrap(final TcpHeaderFlyweight tcp)
    {
        return wrap(tcp.store(), tcp.offset() + TcpHeaderFlyweight.OPTIONS_OFFSET, tcp.optionsLength());
    }

    /**
     * @param offset absolute index of the first option byte.
     * @param length option bytes.
     * @return this.
     * @throws IndexOutOfBoundsException when the range is outside the store.
     */
    public TcpOptionIterator wrap(final BytesStore<?, ?> store, final long offset, final int length)
    {
        NetworkOrder.checkRange("TCP options", store, offset, length);
        this.store = store;
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
        this.status = 0;
        this.kind = END;
        this.errorReason = null;
        return this;
    }

    /**
     * Moves to the next option.
     *
     * @return its kind (0..255), {@link #END} or {@link #MALFORMED}; both are sticky.
     */
    public int next()
    {
        if (status != 0)
        {
            return status;
        }
        if (position >= end)
        {
            return finish(END);
        }
        final int optionKind = store.readUnsignedByte(position);
        if (optionKind == KIND_EOL)
        {
            return finish(END);
        }
        if (optionKind == KIND_NOP)
        {
            return accept(optionKind, 1);
        }
        final long left = end - position;
        if (left < 2)
        {
            return malformed(optionKind, -1, "has no length byte");
        }
        final int length = store.readUnsignedByte(position + 1);
        if (length < 2)
        {
            return malformed(optionKind, length, "is below the minimum 2");
        }
        if (length > left)
        {
            return malformed(optionKind, length, "exceeds the " + left + " option bytes left");
        }
        switch (optionKind)
        {
            case KIND_MSS:
                return length == MSS_LENGTH ? accept(optionKind, length) : malformed(optionKind, length, "is not 4");
            case KIND_WINDOW_SCALE:
                return length == WINDOW_SCALE_LENGTH ?
                    accept(optionKind, length) : malformed(optionKind, length, "is not 3");
            case KIND_SACK_PERMITTED:
                return length == SACK_PERMITTED_LENGTH ?
                    accept(optionKind, length) : malformed(optionKind, length, "is not 2");
            case KIND_TIMESTAMPS:
                return length == TIMESTAMPS_LENGTH ?
                    accept(optionKind, length) : malformed(optionKind, length, "is not 10");
            case KIND_SACK:
                final int blocks = (length - SACK_HEADER_LENGTH) / SACK_BLOCK_LENGTH;
                return (length - SACK_HEADER_LENGTH) % SACK_BLOCK_LENGTH == 0 && blocks >= 1 &&
                    blocks <= MAX_SACK_BLOCKS ?
                    accept(optionKind, length) : malformed(optionKind, length, "is not 2 + 8 * n with n in 1..4");
            default:
                return accept(optionKind, length);
        }
    }

    /** @return kind of the current option. */
    public int kind()
    {
        return kind;
    }

    /** @return total length of the current option, kind and length bytes included (1 for NOP). */
    public int length()
    {
        return optionLength;
    }

    /** @return absolute index of the current option's first value byte (after kind and length). */
    public long valueIndex()
    {
        return optionIndex + 2;
    }

    /** @return offset of the current option from the first option byte. */
    public int optionOffset()
    {
        return (int)(optionIndex - start);
    }

    /** @return maximum segment size of the current MSS option. */
    public int mss()
    {
        expect(KIND_MSS);
        return NetworkOrder.getUnsignedShort(store, valueIndex());
    }

    /** @return shift count of the current window scale option, as sent (RFC 7323 caps its use at 14). */
    public int windowScale()
    {
        expect(KIND_WINDOW_SCALE);
        return store.readUnsignedByte(valueIndex());
    }

    /** @return TSval of the current timestamps option, 0..2^32-1. */
    public long timestampValue()
    {
        expect(KIND_TIMESTAMPS);
        return NetworkOrder.getUnsignedInt(store, valueIndex());
    }

    /** @return TSecr of the current timestamps option, 0..2^32-1. */
    public long timestampEchoReply()
    {
        expect(KIND_TIMESTAMPS);
        return NetworkOrder.getUnsignedInt(store, valueIndex() + 4);
    }

    /** @return number of blocks (1..4) of the current SACK option. */
    public int sackBlockCount()
    {
        expect(KIND_SACK);
        return (optionLength - SACK_HEADER_LENGTH) / SACK_BLOCK_LENGTH;
    }

    /** @return left edge of SACK block {@code block}, 0..2^32-1. */
    public long sackLeftEdge(final int block)
    {
        return NetworkOrder.getUnsignedInt(store, sackBlockIndex(block));
    }

    /** @return right edge of SACK block {@code block}, 0..2^32-1. */
    public long sackRightEdge(final int block)
    {
        return NetworkOrder.getUnsignedInt(store, sackBlockIndex(block) + 4);
    }

    /**
     * @return why the option was malformed after {@link #next()} returned {@link #MALFORMED}, otherwise {@code null},
     * e.g. "TCP option kind 2 (MSS) at option offset 4: length 3 is not 4".
     */
    public String error()
    {
        if (errorReason == null)
        {
            return null;
        }
        return "TCP option kind " + errorKind + kindName(errorKind) + " at option offset " + errorOffset + ": " +
            (errorLength < 0 ? "" : "length " + errorLength + " ") + errorReason;
    }

    private long sackBlockIndex(final int block)
    {
        final int count = sackBlockCount();
        if (block < 0 || block >= count)
        {
            throw new IndexOutOfBoundsException("SACK block " + block + " of " + count + " blocks");
        }
        return valueIndex() + (long)block * SACK_BLOCK_LENGTH;
    }

    private void expect(final int expectedKind)
    {
        if (status != 0 || kind != expectedKind)
        {
            throw new IllegalStateException(
                "current TCP option is kind " + (status != 0 ? "none" : kind) + ", not kind " + expectedKind +
                kindName(expectedKind));
        }
    }

    private int accept(final int optionKind, final int length)
    {
        kind = optionKind;
        optionIndex = position;
        optionLength = length;
        position += length;
        return optionKind;
    }

    private int finish(final int endStatus)
    {
        status = endStatus;
        kind = endStatus;
        return endStatus;
    }

    private int malformed(final int optionKind, final int length, final String reason)
    {
        errorKind = optionKind;
        errorLength = length;
        errorOffset = position - start;
        errorReason = reason;
        return finish(MALFORMED);
    }

    private static String kindName(final int kind)
    {
        switch (kind)
        {
            case KIND_MSS:
                return " (MSS)";
            case KIND_WINDOW_SCALE:
                return " (window scale)";
            case KIND_SACK_PERMITTED:
                return " (SACK permitted)";
            case KIND_SACK:
                return " (SACK)";
            case KIND_TIMESTAMPS:
                return " (timestamps)";
            default:
                return "";
        }
    }
}
