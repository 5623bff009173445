package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * IPv4 header (RFC 791) with options, in network byte order. 20 bytes plus {@code (IHL - 5) * 4} bytes of options.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |   DSCP    |ECN|          Total Length         |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |0|D|M|     Fragment Offset     |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          | 12
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address                        | 16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Options (IHL > 5), up to 40 bytes             | 20
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Addresses are returned as {@code int}s holding the four bytes in network order (10.9.0.1 is 0x0A090001).
 */
public final class Ipv4HeaderFlyweight
{
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_ADDRESS_OFFSET = 12;
    public static final int DESTINATION_ADDRESS_OFFSET = 16;
    public static final int OPTIONS_OFFSET = 20;
    /** Header without options; IHL 5. */
    public static final int MIN_HEADER_LENGTH = OPTIONS_OFFSET;
    /** IHL 15. */
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int VERSION = 4;
    public static final int MIN_IHL = MIN_HEADER_LENGTH / 4;
    /** Don't Fragment, in {@link #flags()}. */
    public static final int FLAG_DF = 0b010;
    /** More Fragments, in {@link #flags()}. */
    public static final int FLAG_MF = 0b001;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    public static final int PROTOCOL_TCP = 6;

    private BytesStore<?, ?> store;
    private long offset;
    private long available;

    /**
     * Wraps the header at {@code offset}, with everything up to the store's read limit available.
     *
     * @return this.
     * @throws IndexOutOfBoundsException when fewer than 20 bytes are available.
     */
    public Ipv4HeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset)
    {
        return wrap(store, offset, store.readLimit() - offset);
    }

    /**
     * @param length bytes of the packet available from {@code offset}.
     * @return this.
     * @throws IndexOutOfBoundsException when the range is outside the store or shorter than 20 bytes.
     */
    public Ipv4HeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset, final long length)
    {
        NetworkOrder.checkRange("IPv4 packet", store, offset, length);
        NetworkOrder.checkFits("IPv4 header", MIN_HEADER_LENGTH, length, offset);
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

    public int version()
    {
        return NetworkOrder.getUnsignedByte(store, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    public Ipv4HeaderFlyweight version(final int version)
    {
        final int b = NetworkOrder.getUnsignedByte(store, offset + VERSION_IHL_OFFSET);
        NetworkOrder.putByte(store, offset + VERSION_IHL_OFFSET, (version << 4) | (b & 0x0F));
        return this;
    }

    /** @return the Internet Header Length field in 32-bit words, as on the wire (not validated). */
    public int ihl()
    {
        return NetworkOrder.getUnsignedByte(store, offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    public Ipv4HeaderFlyweight ihl(final int words)
    {
        final int b = NetworkOrder.getUnsignedByte(store, offset + VERSION_IHL_OFFSET);
        NetworkOrder.putByte(store, offset + VERSION_IHL_OFFSET, (b & 0xF0) | (words & 0x0F));
        return this;
    }

    /**
     * @return the header length in bytes, {@code IHL * 4}.
     * @throws IllegalArgumentException when IHL is below 5.
     * @throws IndexOutOfBoundsException when the header exceeds the bytes available.
     */
    public int headerLength()
    {
        return checkedHeaderLength(store, offset, available);
    }

    /** The one check of IHL, shared with {@link Checksums}. */
    static int checkedHeaderLength(final BytesStore<?, ?> store, final long offset, final long available)
    {
        final int ihl = store.readUnsignedByte(offset + VERSION_IHL_OFFSET) & 0x0F;
        if (ihl < MIN_IHL)
        {
            throw new IllegalArgumentException(
                "IPv4 IHL " + ihl + " words (" + ihl * 4 +
                " bytes) is below the minimum 5 words (20 bytes) at offset " + offset);
        }
        if (ihl * 4L > available)
        {
            throw new IndexOutOfBoundsException(
                "IPv4 IHL " + ihl + " words (" + ihl * 4 + " bytes) exceeds " + available +
                " bytes available at offset " + offset);
        }
        return ihl * 4;
    }

    /** @return the whole second byte: DSCP (6 bits) and ECN (2 bits). */
    public int tos()
    {
        return NetworkOrder.getUnsignedByte(store, offset + TOS_OFFSET);
    }

    public Ipv4HeaderFlyweight tos(final int tos)
    {
        NetworkOrder.putByte(store, offset + TOS_OFFSET, tos);
        return this;
    }

    public int dscp()
    {
        return tos() >>> 2;
    }

    public int ecn()
    {
        return tos() & 0b11;
    }

    /** @return total length of the packet (header + payload) in bytes. */
    public int totalLength()
    {
        return NetworkOrder.getUnsignedShort(store, offset + TOTAL_LENGTH_OFFSET);
    }

    public Ipv4HeaderFlyweight totalLength(final int length)
    {
        NetworkOrder.putShort(store, offset + TOTAL_LENGTH_OFFSET, length);
        return this;
    }

    public int identification()
    {
        return NetworkOrder.getUnsignedShort(store, offset + IDENTIFICATION_OFFSET);
    }

    public Ipv4HeaderFlyweight identification(final int identification)
    {
        NetworkOrder.putShort(store, offset + IDENTIFICATION_OFFSET, identification);
        return this;
    }

    /** @return the three flag bits: reserved, {@link #FLAG_DF}, {@link #FLAG_MF}. */
    public int flags()
    {
        return NetworkOrder.getUnsignedShort(store, offset + FLAGS_FRAGMENT_OFFSET) >>> 13;
    }

    public Ipv4HeaderFlyweight flags(final int flags)
    {
        final int v = NetworkOrder.getUnsignedShort(store, offset + FLAGS_FRAGMENT_OFFSET);
        NetworkOrder.putShort(
            store, offset + FLAGS_FRAGMENT_OFFSET, ((flags & 0b111) << 13) | (v & FRAGMENT_OFFSET_MASK));
        return this;
    }

    public boolean dontFragment()
    {
        return (flags() & FLAG_DF) != 0;
    }

    public boolean moreFragments()
    {
        return (flags() & FLAG_MF) != 0;
    }

    /** @return fragment offset in 8-byte units. */
    public int fragmentOffset()
    {
        return NetworkOrder.getUnsignedShort(store, offset + FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK;
    }

    public Ipv4HeaderFlyweight fragmentOffset(final int units)
    {
        final int v = NetworkOrder.getUnsignedShort(store, offset + FLAGS_FRAGMENT_OFFSET);
        NetworkOrder.putShort(
            store, offset + FLAGS_FRAGMENT_OFFSET, (v & ~FRAGMENT_OFFSET_MASK) | (units & FRAGMENT_OFFSET_MASK));
        return this;
    }

    public int ttl()
    {
        return NetworkOrder.getUnsignedByte(store, offset + TTL_OFFSET);
    }

    public Ipv4HeaderFlyweight ttl(final int ttl)
    {
        NetworkOrder.putByte(store, offset + TTL_OFFSET, ttl);
        return this;
    }

    public int protocol()
    {
        return NetworkOrder.getUnsignedByte(store, offset + PROTOCOL_OFFSET);
    }

    public Ipv4HeaderFlyweight protocol(final int protocol)
    {
        NetworkOrder.putByte(store, offset + PROTOCOL_OFFSET, protocol);
        return this;
    }

    /** @return the header checksum field as on the wire; see {@link Checksums#verifyIpv4Header}. */
    public int headerChecksum()
    {
        return NetworkOrder.getUnsignedShort(store, offset + CHECKSUM_OFFSET);
    }

    public Ipv4HeaderFlyweight headerChecksum(final int checksum)
    {
        NetworkOrder.putShort(store, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int sourceAddress()
    {
        return NetworkOrder.getInt(store, offset + SOURCE_ADDRESS_OFFSET);
    }

    public Ipv4HeaderFlyweight sourceAddress(final int address)
    {
        NetworkOrder.putInt(store, offset + SOURCE_ADDRESS_OFFSET, address);
        return this;
    }

    public int destinationAddress()
    {
        return NetworkOrder.getInt(store, offset + DESTINATION_ADDRESS_OFFSET);
    }

    public Ipv4HeaderFlyweight destinationAddress(final int address)
    {
        NetworkOrder.putInt(store, offset + DESTINATION_ADDRESS_OFFSET, address);
        return this;
    }

    /** @return length of the options in bytes, {@code headerLength() - 20}. */
    public int optionsLength()
    {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /**
     * @return payload length from the header, {@code totalLength() - headerLength()}.
     * @throws IllegalArgumentException when the total length is shorter than the header.
     */
    public int payloadLength()
    {
        final int headerLength = headerLength();
        final int totalLength = totalLength();
        if (totalLength < headerLength)
        {
            throw new IllegalArgumentException(
                "IPv4 total length " + totalLength + " is shorter than the header length " + headerLength +
                " at offset " + offset);
        }
        return totalLength - headerLength;
    }

    /** @return a dotted-quad string such as "192.168.100.70", for messages and tests. */
    public static String toDottedQuad(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }
}
