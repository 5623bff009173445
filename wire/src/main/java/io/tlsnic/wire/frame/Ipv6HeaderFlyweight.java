package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * IPv6 fixed header (RFC 8200), 40 bytes, in network byte order. Extension headers are not walked: a next header
 * other than TCP (6) means the packet does not carry TCP directly.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Traffic Class |              Flow Label               |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Payload Length        |  Next Header  |   Hop Limit   |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |  8
 *  +                  Source Address (128 bits)                    +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               | 24
 *  +               Destination Address (128 bits)                  +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Addresses are read and written as two {@code long}s each, high (first 8 bytes) and low (last 8 bytes), in network
 * order: 2001:db8::1 is high 0x20010DB800000000, low 0x0000000000000001.
 */
public final class Ipv6HeaderFlyweight
{
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_ADDRESS_OFFSET = 8;
    public static final int DESTINATION_ADDRESS_OFFSET = 24;
    public static final int ADDRESS_LENGTH = 16;
    public static final int HEADER_LENGTH = DESTINATION_ADDRESS_OFFSET + ADDRESS_LENGTH;

    public static final int VERSION = 6;
    public static final int FLOW_LABEL_MASK = 0xF_FFFF;
    public static final int NEXT_HEADER_TCP = 6;

    private BytesStore<?, ?> store;
    private long offset;

    /**
     * Wraps the header at {@code offset}, with everything up to the store's read limit available.
     *
     * @return this.
     * @throws IndexOutOfBoundsException when fewer than 40 bytes are available.
     */
    public Ipv6HeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset)
    {
        return wrap(store, offset, store.readLimit() - offset);
    }

    /**
     * @param length bytes of the packet available from {@code offset}.
     * @return this.
     * @throws IndexOutOfBoundsException when the range is outside the store or shorter than 40 bytes.
     */
    public Ipv6HeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset, final long length)
    {
        NetworkOrder.checkRange("IPv6 packet", store, offset, length);
        NetworkOrder.checkFits("IPv6 header", HEADER_LENGTH, length, offset);
        this.store = store;
        this.offset = offset;
        return this;
    }

    /** @return absolute index of the header in the store. */
    public long offset()
    {
        return offset;
    }

    /** @return always 40: extension headers are not part of this layout. */
    public int headerLength()
    {
        return HEADER_LENGTH;
    }

    public int version()
    {
        return NetworkOrder.getUnsignedByte(store, offset + VERSION_CLASS_FLOW_OFFSET) >>> 4;
    }

    public Ipv6HeaderFlyweight version(final int version)
    {
        final int word = NetworkOrder.getInt(store, offset + VERSION_CLASS_FLOW_OFFSET);
        NetworkOrder.putInt(store, offset + VERSION_CLASS_FLOW_OFFSET, (version << 28) | (word & 0x0FFF_FFFF));
        return this;
    }

    /** @return traffic class: DSCP (6 bits) and ECN (2 bits). */
    public int trafficClass()
    {
        return (NetworkOrder.getInt(store, offset + VERSION_CLASS_FLOW_OFFSET) >>> 20) & 0xFF;
    }

    public Ipv6HeaderFlyweight trafficClass(final int trafficClass)
    {
        final int word = NetworkOrder.getInt(store, offset + VERSION_CLASS_FLOW_OFFSET);
        NetworkOrder.putInt(
            store, offset + VERSION_CLASS_FLOW_OFFSET, (word & 0xF00F_FFFF) | ((trafficClass & 0xFF) << 20));
        return this;
    }

    /** @return the 20-bit flow label. */
    public int flowLabel()
    {
        return NetworkOrder.getInt(store, offset + VERSION_CLASS_FLOW_OFFSET) & FLOW_LABEL_MASK;
    }

    public Ipv6HeaderFlyweight flowLabel(final int flowLabel)
    {
        final int word = NetworkOrder.getInt(store, offset + VERSION_CLASS_FLOW_OFFSET);
        NetworkOrder.putInt(
            store, offset + VERSION_CLASS_FLOW_OFFSET, (word & ~FLOW_LABEL_MASK) | (flowLabel & FLOW_LABEL_MASK));
        return this;
    }

    /** @return length of what follows the fixed header (extension headers and upper layer) in bytes. */
    public int payloadLength()
    {
        return NetworkOrder.getUnsignedShort(store, offset + PAYLOAD_LENGTH_OFFSET);
    }

    public Ipv6HeaderFlyweight payloadLength(final int length)
    {
        NetworkOrder.putShort(store, offset + PAYLOAD_LENGTH_OFFSET, length);
        return this;
    }

    public int nextHeader()
    {
        return NetworkOrder.getUnsignedByte(store, offset + NEXT_HEADER_OFFSET);
    }

    public Ipv6HeaderFlyweight nextHeader(final int nextHeader)
    {
        NetworkOrder.putByte(store, offset + NEXT_HEADER_OFFSET, nextHeader);
        return this;
    }

    public int hopLimit()
    {
        return NetworkOrder.getUnsignedByte(store, offset + HOP_LIMIT_OFFSET);
    }

    public Ipv6HeaderFlyweight hopLimit(final int hopLimit)
    {
        NetworkOrder.putByte(store, offset + HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    /** @return first 8 bytes of the source address. */
    public long sourceAddressHigh()
    {
        return NetworkOrder.getLong(store, offset + SOURCE_ADDRESS_OFFSET);
    }

    /** @return last 8 bytes of the source address. */
    public long sourceAddressLow()
    {
        return NetworkOrder.getLong(store, offset + SOURCE_ADDRESS_OFFSET + 8);
    }

    public Ipv6HeaderFlyweight sourceAddress(final long high, final long low)
    {
        NetworkOrder.putLong(store, offset + SOURCE_ADDRESS_OFFSET, high);
        NetworkOrder.putLong(store, offset + SOURCE_ADDRESS_OFFSET + 8, low);
        return this;
    }

    /** @return first 8 bytes of the destination address. */
    public long destinationAddressHigh()
    {
        return NetworkOrder.getLong(store, offset + DESTINATION_ADDRESS_OFFSET);
    }

    /** @return last 8 bytes of the destination address. */
    public long destinationAddressLow()
    {
        return NetworkOrder.getLong(store, offset + DESTINATION_ADDRESS_OFFSET + 8);
    }

    public Ipv6HeaderFlyweight destinationAddress(final long high, final long low)
    {
        NetworkOrder.putLong(store, offset + DESTINATION_ADDRESS_OFFSET, high);
        NetworkOrder.putLong(store, offset + DESTINATION_ADDRESS_OFFSET + 8, low);
        return this;
    }
}
