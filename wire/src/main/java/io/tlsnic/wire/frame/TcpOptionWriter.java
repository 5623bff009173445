package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_EOL;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_MSS;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_NOP;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_SACK;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_SACK_PERMITTED;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_TIMESTAMPS;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_WINDOW_SCALE;
import static io.tlsnic.wire.frame.TcpOptionIterator.MAX_SACK_BLOCKS;
import static io.tlsnic.wire.frame.TcpOptionIterator.MSS_LENGTH;
import static io.tlsnic.wire.frame.TcpOptionIterator.SACK_BLOCK_LENGTH;
import static io.tlsnic.wire.frame.TcpOptionIterator.SACK_HEADER_LENGTH;
import static io.tlsnic.wire.frame.TcpOptionIterator.SACK_PERMITTED_LENGTH;
import static io.tlsnic.wire.frame.TcpOptionIterator.TIMESTAMPS_LENGTH;
import static io.tlsnic.wire.frame.TcpOptionIterator.WINDOW_SCALE_LENGTH;

/**
 * Appends TCP options to the option area of a header, then {@link #finish()} pads them with EOL bytes to a 4-byte
 * boundary (RFC 9293: "The TCP header padding is used to ensure that the TCP header ends ... on a 32-bit
 * boundary. The padding is composed of zeros.") and returns the padded length to put in the data offset.
 * Capacity is at most 40 bytes; writing past it throws before touching memory.
 *
 * <pre>{@code
 * int optionsLength = writer.wrap(store, tcpIndex + 20).mss(1460).sackPermitted().timestamps(tsVal, 0)
 *     .nop().windowScale(7).finish();
 * tcp.dataOffset((20 + optionsLength) / 4);
 * }</pre>
 */
public final class TcpOptionWriter
{
    private BytesStore<?, ?> store;
    private long start;
    private int capacity;
    private int length;
    /** Absolute index of the SACK option being extended by {@link #sackBlock}, or -1. */
    private long openSackIndex = -1;

    /**
     * Wraps the option area at {@code offset} with up to 40 bytes of capacity, less if the store ends sooner.
     *
     * @return this.
     */
    public TcpOptionWriter wrap(final BytesStore<?, ?> store, final long offset)
    {
        return wrap(store, offset, (int)Math.min(TcpHeaderFlyweight.MAX_OPTIONS_LENGTH, store.readLimit() - offset));
    }

    /**
     * @param capacity bytes that may be written, at most 40.
     * @return this.
     * @throws IndexOutOfBoundsException when the range is outside the store.
     * @throws IllegalArgumentException when capacity exceeds 40.
     */
    public TcpOptionWriter wrap(final BytesStore<?, ?> store, final long offset, final int capacity)
    {
        if (capacity > TcpHeaderFlyweight.MAX_OPTIONS_LENGTH)
        {
            throw new IllegalArgumentException("TCP option capacity " + capacity + " exceeds 40 bytes");
        }
        NetworkOrder.checkRange("TCP options", store, offset, capacity);
        this.store = store;
        this.start = offset;
        this.capacity = capacity;
        this.length = 0;
        this.openSackIndex = -1;
        return this;
    }

    /** @return option bytes written so far, before padding. */
    public int length()
    {
        return length;
    }

    public TcpOptionWriter nop()
    {
        reserve("NOP", 1);
        NetworkOrder.putByte(store, start + length, KIND_NOP);
        length += 1;
        openSackIndex = -1;
        return this;
    }

    public TcpOptionWriter eol()
    {
        reserve("EOL", 1);
        NetworkOrder.putByte(store, start + length, KIND_EOL);
        length += 1;
        openSackIndex = -1;
        return this;
    }

    public TcpOptionWriter mss(final int mss)
    {
        final long index = begin("MSS", KIND_MSS, MSS_LENGTH);
        NetworkOrder.putShort(store, index + 2, mss);
        return this;
    }

    /** @param shift window scale shift count, 0..14 (RFC 7323 section 2.3). */
    public TcpOptionWriter windowScale(final int shift)
    {
        if (shift < 0 || shift > 14)
        {
            throw new IllegalArgumentException("TCP window scale shift " + shift + " is outside 0..14");
        }
        final long index = begin("window scale", KIND_WINDOW_SCALE, WINDOW_SCALE_LENGTH);
        NetworkOrder.putByte(store, index + 2, shift);
        return this;
    }

    public TcpOptionWriter sackPermitted()
    {
        begin("SACK permitted", KIND_SACK_PERMITTED, SACK_PERMITTED_LENGTH);
        return this;
    }

    /** @param tsVal TSval, stored modulo 2^32. @param tsEcr TSecr, stored modulo 2^32. */
    public TcpOptionWriter timestamps(final long tsVal, final long tsEcr)
    {
        final long index = begin("timestamps", KIND_TIMESTAMPS, TIMESTAMPS_LENGTH);
        NetworkOrder.putInt(store, index + 2, (int)tsVal);
        NetworkOrder.putInt(store, index + 6, (int)tsEcr);
        return this;
    }

    /**
     * Appends a SACK block: starts a SACK option, or adds to the one written just before (up to 4 blocks).
     *
     * @param leftEdge stored modulo 2^32.
     * @param rightEdge stored modulo 2^32.
     */
    public TcpOptionWriter sackBlock(final long leftEdge, final long rightEdge)
    {
        if (openSackIndex < 0)
        {
            reserve("SACK", SACK_HEADER_LENGTH + SACK_BLOCK_LENGTH);
            // begin() closes any open SACK option; this one stays open for the blocks that follow.
            openSackIndex = begin("SACK", KIND_SACK, SACK_HEADER_LENGTH);
        }
        final int sackLength = store.readUnsignedByte(openSackIndex + 1);
        if ((sackLength - SACK_HEADER_LENGTH) / SACK_BLOCK_LENGTH >= MAX_SACK_BLOCKS)
        {
            throw new IllegalStateException("TCP SACK option already holds " + MAX_SACK_BLOCKS + " blocks");
        }
        reserve("SACK block", SACK_BLOCK_LENGTH);
        NetworkOrder.putInt(store, start + length, (int)leftEdge);
        NetworkOrder.putInt(store, start + length + 4, (int)rightEdge);
        length += SACK_BLOCK_LENGTH;
        NetworkOrder.putByte(store, openSackIndex + 1, sackLength + SACK_BLOCK_LENGTH);
        return this;
    }

    /**
     * Pads with EOL bytes to a multiple of 4.
     *
     * @return the padded option length in bytes, 0..40.
     */
    public int finish()
    {
        final int padded = (length + 3) & ~3;
        reserve("padding", padded - length);
        while (length < padded)
        {
            NetworkOrder.putByte(store, start + length, KIND_EOL);
            length++;
        }
        openSackIndex = -1;
        return length;
    }

    private long begin(final String name, final int kind, final int optionLength)
    {
        reserve(name, optionLength);
        final long index = start + length;
        NetworkOrder.putByte(store, index, kind);
        NetworkOrder.putByte(store, index + 1, optionLength);
        length += optionLength;
        openSackIndex = -1;
        return index;
    }

    private void reserve(final String name, final int needed)
    {
        if (length + needed > capacity)
        {
            throw new IndexOutOfBoundsException(
                "TCP option " + name + " needs " + needed + " bytes but " + (capacity - length) + " of " + capacity +
                " option bytes are left at offset " + (start + length));
        }
    }
}
