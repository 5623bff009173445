package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * TCP header (RFC 9293) with options, in network byte order. 20 bytes plus {@code (data offset - 5) * 4} bytes of
 * options; read options with {@link TcpOptionIterator}, write them with {@link TcpOptionWriter}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence Number                        |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Acknowledgment Number                      |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Data |       |C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             | 12
 *  |       |       |R|E|G|K|H|T|N|N|                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Checksum            |         Urgent Pointer        | 16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Options (data offset > 5), up to 40 bytes     | 20
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Sequence and acknowledgment numbers are unsigned 32-bit: getters return a {@code long} in 0..2^32-1, setters store
 * the low 32 bits of the {@code long} they are given, so {@code seq + length} may be passed without wrapping it first.
 */
public final class TcpHeaderFlyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int OPTIONS_OFFSET = 20;
    /** Header without options; data offset 5. */
    public static final int MIN_HEADER_LENGTH = OPTIONS_OFFSET;
    /** Data offset 15. */
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MAX_OPTIONS_LENGTH = MAX_HEADER_LENGTH - MIN_HEADER_LENGTH;
    public static final int MIN_DATA_OFFSET = MIN_HEADER_LENGTH / 4;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private BytesStore<?, ?> store;
    private long offset;
    private long available;

    /**
     * Wraps the header at {@code offset}, with everything up to the store's read limit available.
     *
     * @return this.
     * @throws IndexOutOfBoundsException when fewer than 20 bytes are available.
     */
    public TcpHeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset)
    {
        return wrap(store, offset, store.readLimit() - offset);
    }

    /**
     * @param length bytes of the segment available from {@code offset} (header and payload).
     * @return this.
     * @throws IndexOutOfBoundsException when the range is outside the store or shorter than 20 bytes.
     */
    public TcpHeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset, final long length)
    {
        NetworkOrder.checkRange("TCP segment", store, offset, length);
        NetworkOrder.checkFits("TCP header", MIN_HEADER_LENGTH, length, offset);
        this.store = store;
        this.offset = offset;
        this.available = length;
        return this;
    }

    /** @return absolute index of the header in the store. */
    public long offset()
    {
        return offset;
    }

    public BytesStore<?, ?> store()
    {
        return store;
    }

    public int sourcePort()
    {
        return NetworkOrder.getUnsignedShort(store, offset + SOURCE_PORT_OFFSET);
    }

    public TcpHeaderFlyweight sourcePort(final int port)
    {
        NetworkOrder.putShort(store, offset + SOURCE_PORT_OFFSET, port);
        return this;
    }

    public int destinationPort()
    {
        return NetworkOrder.getUnsignedShort(store, offset + DESTINATION_PORT_OFFSET);
    }

    public TcpHeaderFlyweight destinationPort(final int port)
    {
        NetworkOrder.putShort(store, offset + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /** @return sequence number, 0..2^32-1. */
    public long sequenceNumber()
    {
        return NetworkOrder.getUnsignedInt(store, offset + SEQUENCE_OFFSET);
    }

    /** @param seq stored modulo 2^32. */
    public TcpHeaderFlyweight sequenceNumber(final long seq)
    {
        NetworkOrder.putInt(store, offset + SEQUENCE_OFFSET, (int)seq);
        return this;
    }

    /** @return acknowledgment number, 0..2^32-1. */
    public long acknowledgmentNumber()
    {
        return NetworkOrder.getUnsignedInt(store, offset + ACKNOWLEDGMENT_OFFSET);
    }

    /** @param ack stored modulo 2^32. */
    public TcpHeaderFlyweight acknowledgmentNumber(final long ack)
    {
        NetworkOrder.putInt(store, offset + ACKNOWLEDGMENT_OFFSET, (int)ack);
        return this;
    }

    /** @return the data offset field in 32-bit words, as on the wire (not validated). */
    public int dataOffset()
    {
        return NetworkOrder.getUnsignedByte(store, offset + DATA_OFFSET_OFFSET) >>> 4;
    }

    /** Writes the data offset in words, keeping the reserved bits. */
    public TcpHeaderFlyweight dataOffset(final int words)
    {
        final int b = NetworkOrder.getUnsignedByte(store, offset + DATA_OFFSET_OFFSET);
        NetworkOrder.putByte(store, offset + DATA_OFFSET_OFFSET, ((words & 0x0F) << 4) | (b & 0x0F));
        return this;
    }

    /**
     * @return header length in bytes, {@code data offset * 4}.
     * @throws IllegalArgumentException when the data offset is below 5.
     * @throws IndexOutOfBoundsException when the header exceeds the bytes available.
     */
    public int headerLength()
    {
        final int words = dataOffset();
        if (words < MIN_DATA_OFFSET)
        {
            throw new IllegalArgumentException(
                "TCP data offset " + words + " words (" + words * 4 +
                " bytes) is below the minimum 5 words (20 bytes) at offset " + offset);
        }
        if (words * 4L > available)
        {
            throw new IndexOutOfBoundsException(
                "TCP data offset " + words + " words (" + words * 4 + " bytes) exceeds " + available +
                " bytes available at offset " + offset);
        }
        return words * 4;
    }

    /** @return option bytes, {@code headerLength() - 20}. */
    public int optionsLength()
    {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** @return the eight flag bits CWR ECE URG ACK PSH RST SYN FIN. */
    public int flags()
    {
        return NetworkOrder.getUnsignedByte(store, offset + FLAGS_OFFSET);
    }

    public TcpHeaderFlyweight flags(final int flags)
    {
        NetworkOrder.putByte(store, offset + FLAGS_OFFSET, flags);
        return this;
    }

    /** @return whether every bit of {@code mask} (e.g. {@code SYN | ACK}) is set. */
    public boolean hasFlags(final int mask)
    {
        return (flags() & mask) == mask;
    }

    public int window()
    {
        return NetworkOrder.getUnsignedShort(store, offset + WINDOW_OFFSET);
    }

    public TcpHeaderFlyweight window(final int window)
    {
        NetworkOrder.putShort(store, offset + WINDOW_OFFSET, window);
        return this;
    }

    /**
     * @return checksum field as on the wire; see {@link Checksums#verifyTcpIpv4} and {@link Checksums#verifyTcpIpv6}.
     */
    public int checksum()
    {
        return NetworkOrder.getUnsignedShort(store, offset + CHECKSUM_OFFSET);
    }

    public TcpHeaderFlyweight checksum(final int checksum)
    {
        NetworkOrder.putShort(store, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int urgentPointer()
    {
        return NetworkOrder.getUnsignedShort(store, offset + URGENT_POINTER_OFFSET);
    }

    public TcpHeaderFlyweight urgentPointer(final int urgentPointer)
    {
        NetworkOrder.putShort(store, offset + URGENT_POINTER_OFFSET, urgentPointer);
        return this;
    }

    /** @return a flag string such as "SYN|ACK", for messages and logs. */
    public static String flagsToString(final int flags)
    {
        final String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++)
        {
            if ((flags & (1 << i)) != 0)
            {
                if (sb.length() > 0)
                {
                    sb.append('|');
                }
                sb.append(names[i]);
            }
        }
        return sb.toString();
    }
}
