package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Locates the layers of an Ethernet (or raw IP) frame carrying TCP: link header length, VLAN id, IP version, TCP
 * header and payload offsets, and the 4-tuple. One instance is reused for every frame: parsing allocates nothing and
 * never throws, whatever the bytes and whatever the length, and reads only inside {@code [offset, offset + length)}
 * of the store. Malformed input yields a {@link ParseStatus} instead of an exception, because the device model feeds
 * it whatever arrives on the wire.
 *
 * <p>Offsets are relative to the start of the frame; add {@link #frameIndex()} for an absolute index. After a parse,
 * the fields of every layer parsed before the failing one are set; the others read -1 (offsets, lengths, VLAN id)
 * or 0. Addresses are kept as IPv6 addresses, IPv4 ones in their IPv4-mapped form {@code ::ffff:a.b.c.d} (RFC 4291
 * section 2.5.5.2), so one flow key serves both versions. After {@link ParseStatus#OK}, {@link #ipv4()} or
 * {@link #ipv6()} and {@link #tcp()} are wrapped over the headers.
 */
public final class FrameParser
{
    /** High 8 bytes of an IPv4-mapped IPv6 address. */
    public static final long IPV4_MAPPED_HIGH = 0L;
    /** Bits 32..63 of the low 8 bytes of an IPv4-mapped IPv6 address. */
    public static final long IPV4_MAPPED_LOW_PREFIX = 0x0000_FFFF_0000_0000L;

    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
    private final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();

    private BytesStore<?, ?> store;
    private ParseStatus status;
    private long frameIndex;
    private long frameLength;
    private int l2Length;
    private int vlanId;
    private int etherType;
    private int ipVersion;
    private int l3Offset;
    private int l3HeaderLength;
    private int l4Offset;
    private int l4Length;
    private int tcpHeaderLength;
    private int payloadOffset;
    private int payloadLength;
    private long sourceAddressHigh;
    private long sourceAddressLow;
    private long destinationAddressHigh;
    private long destinationAddressLow;
    private int sourcePort;
    private int destinationPort;

    /**
     * Parses an Ethernet II frame with at most one 802.1Q tag.
     *
     * @param offset absolute index of the first byte of the destination MAC.
     * @param length captured bytes of the frame (no FCS); any value is accepted.
     * @return {@link ParseStatus#OK} or why not.
     */
    public ParseStatus parseEthernet(final BytesStore<?, ?> store, final long offset, final long length)
    {
        if (!reset(store, offset, length))
        {
            return fail(ParseStatus.TRUNCATED);
        }
        if (length < EthernetHeaderFlyweight.HEADER_LENGTH)
        {
            return fail(ParseStatus.TRUNCATED);
        }
        int type = NetworkOrder.getUnsignedShort(store, offset + EthernetHeaderFlyweight.TYPE_OFFSET);
        int headerLength = EthernetHeaderFlyweight.HEADER_LENGTH;
        if (type == EthernetHeaderFlyweight.TYPE_VLAN)
        {
            if (length < EthernetHeaderFlyweight.TAGGED_HEADER_LENGTH)
            {
                return fail(ParseStatus.TRUNCATED);
            }
            vlanId = NetworkOrder.getUnsignedShort(store, offset + EthernetHeaderFlyweight.VLAN_TCI_OFFSET) &
                EthernetHeaderFlyweight.VLAN_ID_MASK;
            type = NetworkOrder.getUnsignedShort(store, offset + EthernetHeaderFlyweight.TAGGED_TYPE_OFFSET);
            headerLength = EthernetHeaderFlyweight.TAGGED_HEADER_LENGTH;
        }
        l2Length = headerLength;
        etherType = type;
        ethernet.wrap(store, offset, length);
        if (type == EthernetHeaderFlyweight.TYPE_IPV4)
        {
            return parseIpv4(headerLength);
        }
        if (type == EthernetHeaderFlyweight.TYPE_IPV6)
        {
            return parseIpv6(headerLength);
        }
        return fail(ParseStatus.NOT_IP);
    }

    /**
     * Parses a packet that starts with the IP header (DLT_RAW, or DLT_NULL after its 4-byte family word); the
     * version nibble chooses IPv4 or IPv6.
     *
     * @param offset absolute index of the first byte of the IP header.
     * @param length captured bytes of the packet; any value is accepted.
     * @return {@link ParseStatus#OK} or why not.
     */
    public ParseStatus parseIp(final BytesStore<?, ?> store, final long offset, final long length)
    {
        if (!reset(store, offset, length) || length < 1)
        {
            return fail(ParseStatus.TRUNCATED);
        }
        l2Length = 0;
        final int version = NetworkOrder.getUnsignedByte(store, offset) >>> 4;
        if (version == Ipv4HeaderFlyweight.VERSION)
        {
            etherType = EthernetHeaderFlyweight.TYPE_IPV4;
            return parseIpv4(0);
        }
        if (version == Ipv6HeaderFlyweight.VERSION)
        {
            etherType = EthernetHeaderFlyweight.TYPE_IPV6;
            return parseIpv6(0);
        }
        return fail(ParseStatus.NOT_IP);
    }

    private ParseStatus parseIpv4(final int ipOffset)
    {
        ipVersion = Ipv4HeaderFlyweight.VERSION;
        l3Offset = ipOffset;
        final long available = frameLength - ipOffset;
        final long ipIndex = frameIndex + ipOffset;
        if (available < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return fail(ParseStatus.TRUNCATED);
        }
        final int versionIhl = NetworkOrder.getUnsignedByte(store, ipIndex);
        final int headerLength = (versionIhl & 0x0F) * 4;
        if (versionIhl >>> 4 != Ipv4HeaderFlyweight.VERSION || headerLength < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return fail(ParseStatus.BAD_IP_HEADER);
        }
        if (headerLength > available)
        {
            return fail(ParseStatus.TRUNCATED);
        }
        final int totalLength = NetworkOrder.getUnsignedShort(store, ipIndex + Ipv4HeaderFlyweight.TOTAL_LENGTH_OFFSET);
        if (totalLength < headerLength)
        {
            return fail(ParseStatus.BAD_IP_HEADER);
        }
        if (totalLength > available)
        {
            return fail(ParseStatus.TRUNCATED);
        }
        l3HeaderLength = headerLength;
        sourceAddressHigh = IPV4_MAPPED_HIGH;
        destinationAddressHigh = IPV4_MAPPED_HIGH;
        sourceAddressLow = IPV4_MAPPED_LOW_PREFIX |
            NetworkOrder.getUnsignedInt(store, ipIndex + Ipv4HeaderFlyweight.SOURCE_ADDRESS_OFFSET);
        destinationAddressLow = IPV4_MAPPED_LOW_PREFIX |
            NetworkOrder.getUnsignedInt(store, ipIndex + Ipv4HeaderFlyweight.DESTINATION_ADDRESS_OFFSET);
        final int flagsFragment = NetworkOrder.getUnsignedShort(
            store, ipIndex + Ipv4HeaderFlyweight.FLAGS_FRAGMENT_OFFSET);
        if ((flagsFragment & ((Ipv4HeaderFlyweight.FLAG_MF << 13) | Ipv4HeaderFlyweight.FRAGMENT_OFFSET_MASK)) != 0)
        {
            return fail(ParseStatus.IP_FRAGMENT);
        }
        if (NetworkOrder.getUnsignedByte(store, ipIndex + Ipv4HeaderFlyweight.PROTOCOL_OFFSET) !=
            Ipv4HeaderFlyweight.PROTOCOL_TCP)
        {
            return fail(ParseStatus.NOT_TCP);
        }
        ipv4.wrap(store, ipIndex, totalLength);
        return parseTcp(ipOffset + headerLength, totalLength - headerLength);
    }

    private ParseStatus parseIpv6(final int ipOffset)
    {
        ipVersion = Ipv6HeaderFlyweight.VERSION;
        l3Offset = ipOffset;
        final long available = frameLength - ipOffset;
        final long ipIndex = frameIndex + ipOffset;
        if (available < Ipv6HeaderFlyweight.HEADER_LENGTH)
        {
            return fail(ParseStatus.TRUNCATED);
        }
        if (NetworkOrder.getUnsignedByte(store, ipIndex) >>> 4 != Ipv6HeaderFlyweight.VERSION)
        {
            return fail(ParseStatus.BAD_IP_HEADER);
        }
        final int payloadLength = NetworkOrder.getUnsignedShort(
            store, ipIndex + Ipv6HeaderFlyweight.PAYLOAD_LENGTH_OFFSET);
        if (Ipv6HeaderFlyweight.HEADER_LENGTH + (long)payloadLength > available)
        {
            return fail(ParseStatus.TRUNCATED);
        }
        l3HeaderLength = Ipv6HeaderFlyweight.HEADER_LENGTH;
        sourceAddressHigh = NetworkOrder.getLong(store, ipIndex + Ipv6HeaderFlyweight.SOURCE_ADDRESS_OFFSET);
        sourceAddressLow = NetworkOrder.getLong(store, ipIndex + Ipv6HeaderFlyweight.SOURCE_ADDRESS_OFFSET + 8);
        destinationAddressHigh = NetworkOrder.getLong(
            store, ipIndex + Ipv6HeaderFlyweight.DESTINATION_ADDRESS_OFFSET);
        destinationAddressLow = NetworkOrder.getLong(
            store, ipIndex + Ipv6HeaderFlyweight.DESTINATION_ADDRESS_OFFSET + 8);
        if (NetworkOrder.getUnsignedByte(store, ipIndex + Ipv6HeaderFlyweight.NEXT_HEADER_OFFSET) !=
            Ipv6HeaderFlyweight.NEXT_HEADER_TCP)
        {
            return fail(ParseStatus.NOT_TCP);
        }
        ipv6.wrap(store, ipIndex, Ipv6HeaderFlyweight.HEADER_LENGTH + payloadLength);
        return parseTcp(ipOffset + Ipv6HeaderFlyweight.HEADER_LENGTH, payloadLength);
    }

    private ParseStatus parseTcp(final int tcpOffset, final int tcpLength)
    {
        l4Offset = tcpOffset;
        l4Length = tcpLength;
        final long tcpIndex = frameIndex + tcpOffset;
        if (tcpLength < TcpHeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return fail(ParseStatus.BAD_TCP_HEADER);
        }
        final int headerLength =
            (NetworkOrder.getUnsignedByte(store, tcpIndex + TcpHeaderFlyweight.DATA_OFFSET_OFFSET) >>> 4) * 4;
        if (headerLength < TcpHeaderFlyweight.MIN_HEADER_LENGTH || headerLength > tcpLength)
        {
            return fail(ParseStatus.BAD_TCP_HEADER);
        }
        tcpHeaderLength = headerLength;
        sourcePort = NetworkOrder.getUnsignedShort(store, tcpIndex + TcpHeaderFlyweight.SOURCE_PORT_OFFSET);
        destinationPort = NetworkOrder.getUnsignedShort(store, tcpIndex + TcpHeaderFlyweight.DESTINATION_PORT_OFFSET);
        payloadOffset = tcpOffset + headerLength;
        payloadLength = tcpLength - headerLength;
        tcp.wrap(store, tcpIndex, tcpLength);
        status = ParseStatus.OK;
        return status;
    }

    private boolean reset(final BytesStore<?, ?> store, final long offset, final long length)
    {
        this.store = store;
        this.frameIndex = offset;
        this.frameLength = length;
        status = null;
        l2Length = -1;
        vlanId = -1;
        etherType = -1;
        ipVersion = 0;
        l3Offset = -1;
        l3HeaderLength = -1;
        l4Offset = -1;
        l4Length = -1;
        tcpHeaderLength = -1;
        payloadOffset = -1;
        payloadLength = -1;
        sourceAddressHigh = 0;
        sourceAddressLow = 0;
        destinationAddressHigh = 0;
        destinationAddressLow = 0;
        sourcePort = 0;
        destinationPort = 0;
        return length >= 0 && offset >= store.start() && offset <= store.readLimit() &&
            length <= store.readLimit() - offset;
    }

    private ParseStatus fail(final ParseStatus failure)
    {
        status = failure;
        return failure;
    }

    /** @return the status of the last parse. */
    public ParseStatus status()
    {
        return status;
    }

    /** @return absolute index of the frame in the store. */
    public long frameIndex()
    {
        return frameIndex;
    }

    /** @return bytes of the frame as given to the parser. */
    public long frameLength()
    {
        return frameLength;
    }

    /** @return link header length: 14, 18 when tagged, 0 for {@link #parseIp}. */
    public int l2Length()
    {
        return l2Length;
    }

    /** @return VLAN id of the 802.1Q tag, or -1 when untagged. */
    public int vlanId()
    {
        return vlanId;
    }

    /** @return EtherType after the tag (0x0800, 0x86DD, ...). */
    public int etherType()
    {
        return etherType;
    }

    /** @return 4 or 6, or 0 when the frame is not IP. */
    public int ipVersion()
    {
        return ipVersion;
    }

    /** @return offset of the IP header. */
    public int l3Offset()
    {
        return l3Offset;
    }

    /** @return IP header length: IHL * 4 for IPv4, 40 for IPv6. */
    public int l3HeaderLength()
    {
        return l3HeaderLength;
    }

    /** @return offset of the TCP header. */
    public int l4Offset()
    {
        return l4Offset;
    }

    /** @return TCP header + payload length, from the IP header (Ethernet padding excluded). */
    public int l4Length()
    {
        return l4Length;
    }

    /** @return TCP header length: data offset * 4. */
    public int tcpHeaderLength()
    {
        return tcpHeaderLength;
    }

    /** @return offset of the TCP payload. */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /** @return TCP payload length in bytes. */
    public int payloadLength()
    {
        return payloadLength;
    }

    /** @return first 8 bytes of the source address (0 for IPv4-mapped). */
    public long sourceAddressHigh()
    {
        return sourceAddressHigh;
    }

    /** @return last 8 bytes of the source address ({@code 0x0000FFFF_aabbccdd} for IPv4 a.b.c.d). */
    public long sourceAddressLow()
    {
        return sourceAddressLow;
    }

    public long destinationAddressHigh()
    {
        return destinationAddressHigh;
    }

    public long destinationAddressLow()
    {
        return destinationAddressLow;
    }

    /** @return the IPv4 source address (meaningful when {@link #ipVersion()} is 4). */
    public int sourceIpv4()
    {
        return (int)sourceAddressLow;
    }

    /** @return the IPv4 destination address (meaningful when {@link #ipVersion()} is 4). */
    public int destinationIpv4()
    {
        return (int)destinationAddressLow;
    }

    public int sourcePort()
    {
        return sourcePort;
    }

    public int destinationPort()
    {
        return destinationPort;
    }

    /** @return the Ethernet header flyweight, wrapped after {@link #parseEthernet} got past the link layer. */
    public EthernetHeaderFlyweight ethernet()
    {
        return ethernet;
    }

    /** @return the IPv4 header flyweight, wrapped over the packet's total length after {@link ParseStatus#OK}. */
    public Ipv4HeaderFlyweight ipv4()
    {
        return ipv4;
    }

    /** @return the IPv6 header flyweight, wrapped over header + payload length after {@link ParseStatus#OK}. */
    public Ipv6HeaderFlyweight ipv6()
    {
        return ipv6;
    }

    /** @return the TCP header flyweight, wrapped over header + payload after {@link ParseStatus#OK}. */
    public TcpHeaderFlyweight tcp()
    {
        return tcp;
    }

    /**
     * @return whether the TCP checksum of the last {@link ParseStatus#OK} frame is correct.
     * @throws IllegalStateException when the last parse did not succeed.
     */
    public boolean tcpChecksumValid()
    {
        if (status != ParseStatus.OK)
        {
            throw new IllegalStateException("last frame did not parse: " + status);
        }
        final long ipIndex = frameIndex + l3Offset;
        final long tcpIndex = frameIndex + l4Offset;
        return ipVersion == Ipv4HeaderFlyweight.VERSION ?
            Checksums.verifyTcpIpv4(store, ipIndex, tcpIndex, l4Length) :
            Checksums.verifyTcpIpv6(store, ipIndex, tcpIndex, l4Length);
    }
}
