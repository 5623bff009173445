package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Writes Ethernet (optionally 802.1Q-tagged) + IPv4 or IPv6 + TCP headers in front of a payload, with both
 * checksums. Configure a flow once (MACs, VLAN, addresses, ports), then call {@link #write} for each segment with
 * the fields that change. Reusable; allocates only when constructed.
 *
 * <pre>{@code
 * builder.ethernet(dstMac, srcMac).ipv4(src, dst).ports(49152, 443);
 * builder.options().mss(1460).sackPermitted();
 * int headerLength = builder.headerLength();
 * // copy the payload to offset + headerLength, then:
 * int frameLength = builder.write(store, offset, seq, 0, TcpHeaderFlyweight.SYN, 64240, payloadLength);
 * }</pre>
 *
 * IPv4 packets are written with DF set, TOS 0 and an identification that counts up from
 * {@link #ipIdentification(int)}; IPv6 packets with traffic class and flow label 0.
 */
public final class FrameBuilder
{
    private static final int NO_VLAN = -1;
    private static final int MAX_IPV4_TOTAL_LENGTH = 0xFFFF;

    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
    private final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();
    private final BytesStore<?, byte[]> optionScratch =
        BytesStore.wrap(new byte[TcpHeaderFlyweight.MAX_OPTIONS_LENGTH]);
    private final TcpOptionWriter options = new TcpOptionWriter().wrap(optionScratch, 0);

    private long destinationMac;
    private long sourceMac;
    private int vlanTci = NO_VLAN;
    private int ipVersion = Ipv4HeaderFlyweight.VERSION;
    private int sourceIpv4;
    private int destinationIpv4;
    private long sourceHigh;
    private long sourceLow;
    private long destinationHigh;
    private long destinationLow;
    private int sourcePort;
    private int destinationPort;
    private int ttl = 64;
    private int nextIpIdentification;

    /** @param destinationMac and @param sourceMac in the low 48 bits. */
    public FrameBuilder ethernet(final long destinationMac, final long sourceMac)
    {
        this.destinationMac = destinationMac;
        this.sourceMac = sourceMac;
        return this;
    }

    /** Tags frames with 802.1Q tag control information {@code tci} (PCP, DEI, VLAN id). */
    public FrameBuilder vlan(final int tci)
    {
        if (tci < 0 || tci > 0xFFFF)
        {
            throw new IllegalArgumentException("802.1Q TCI " + tci + " is outside 0..0xFFFF");
        }
        this.vlanTci = tci;
        return this;
    }

    /** Stops tagging frames. */
    public FrameBuilder noVlan()
    {
        this.vlanTci = NO_VLAN;
        return this;
    }

    /** Builds IPv4 packets between these addresses (network order in an int: 10.0.0.1 is 0x0A000001). */
    public FrameBuilder ipv4(final int source, final int destination)
    {
        ipVersion = Ipv4HeaderFlyweight.VERSION;
        sourceIpv4 = source;
        destinationIpv4 = destination;
        return this;
    }

    /** Builds IPv6 packets between these addresses, each as high and low 8 bytes. */
    public FrameBuilder ipv6(
        final long sourceHigh, final long sourceLow, final long destinationHigh, final long destinationLow)
    {
        ipVersion = Ipv6HeaderFlyweight.VERSION;
        this.sourceHigh = sourceHigh;
        this.sourceLow = sourceLow;
        this.destinationHigh = destinationHigh;
        this.destinationLow = destinationLow;
        return this;
    }

    public FrameBuilder ports(final int sourcePort, final int destinationPort)
    {
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        return this;
    }

    /** IPv4 TTL or IPv6 hop limit; 64 unless set. */
    public FrameBuilder ttl(final int ttl)
    {
        this.ttl = ttl;
        return this;
    }

    /** The IPv4 identification of the next packet; each packet written takes the next value. */
    public FrameBuilder ipIdentification(final int next)
    {
        this.nextIpIdentification = next;
        return this;
    }

    /**
     * Clears the TCP options and returns the writer for new ones. Options stay in force for every following
     * {@link #write} until this is called again; they are padded to 4 bytes when written.
     */
    public TcpOptionWriter options()
    {
        return options.wrap(optionScratch, 0);
    }

    /** @return bytes the headers take: Ethernet (14 or 18) + IP (20 or 40) + TCP (20 + padded options). */
    public int headerLength()
    {
        return l2Length() + l3Length() + TcpHeaderFlyweight.MIN_HEADER_LENGTH + options.finish();
    }

    /**
     * Writes the headers at {@code offset} for a payload already in place at {@code offset + headerLength()}, and
     * fills in the IPv4 header checksum and the TCP checksum over headers and payload.
     *
     * @param seq sequence number, stored modulo 2^32.
     * @param ack acknowledgment number, stored modulo 2^32.
     * @param flags TCP flags, e.g. {@code TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.ACK}.
     * @param window window field as sent (already scaled down).
     * @param payloadLength TCP payload bytes.
     * @return frame length: headers + payload.
     * @throws IndexOutOfBoundsException when the frame does not fit in the store.
     * @throws IllegalArgumentException when the IP packet would exceed 65535 bytes.
     */
    public int write(
        final BytesStore<?, ?> store,
        final long offset,
        final long seq,
        final long ack,
        final int flags,
        final int window,
        final int payloadLength)
    {
        return write(store, offset, seq, ack, flags, window, payloadLength, true);
    }

    /**
     * Writes only the headers at {@code offset}, for a payload kept elsewhere (a gather list: the device reads the
     * headers and the payload from separate buffers), with the IPv4 header checksum filled in and the TCP checksum
     * left zero for the device to compute over the frame it assembles ({@code CHECKSUM_PARTIAL}: the descriptor asks
     * for L4 checksum offload).
     *
     * @param seq sequence number, stored modulo 2^32.
     * @param ack acknowledgment number, stored modulo 2^32.
     * @param flags TCP flags.
     * @param window window field as sent (already scaled down).
     * @param payloadLength TCP payload bytes that will follow the headers on the wire.
     * @return header length.
     * @throws IndexOutOfBoundsException when the headers do not fit in the store.
     * @throws IllegalArgumentException when the IP packet would exceed 65535 bytes.
     */
    public int writeHeaders(
        final BytesStore<?, ?> store,
        final long offset,
        final long seq,
        final long ack,
        final int flags,
        final int window,
        final int payloadLength)
    {
        return write(store, offset, seq, ack, flags, window, payloadLength, false) - payloadLength;
    }

    private int write(
        final BytesStore<?, ?> store,
        final long offset,
        final long seq,
        final long ack,
        final int flags,
        final int window,
        final int payloadLength,
        final boolean payloadInStore)
    {
        final int optionsLength = options.finish();
        final int l2Length = l2Length();
        final int tcpLength = TcpHeaderFlyweight.MIN_HEADER_LENGTH + optionsLength + payloadLength;
        final int ipPayloadLimit = MAX_IPV4_TOTAL_LENGTH -
            (ipVersion == Ipv4HeaderFlyweight.VERSION ? Ipv4HeaderFlyweight.MIN_HEADER_LENGTH : 0);
        if (payloadLength < 0 || tcpLength > ipPayloadLimit)
        {
            throw new IllegalArgumentException(
                "TCP payload length " + payloadLength + " does not fit in an IPv" + ipVersion + " packet");
        }
        final int frameLength = l2Length + l3Length() + tcpLength;
        // Without the payload in the store, the flyweights see the headers only; the length fields still count it.
        final int inStore = payloadInStore ? 0 : payloadLength;
        NetworkOrder.checkRange("frame", store, offset, frameLength - inStore);

        ethernet.wrap(store, offset, frameLength - inStore).destinationMac(destinationMac).sourceMac(sourceMac);
        if (vlanTci != NO_VLAN)
        {
            ethernet.vlanTag(vlanTci);
        }
        else
        {
            ethernet.outerType(0);
        }

        final long ipIndex = offset + l2Length;
        final long tcpIndex = ipIndex + l3Length();
        if (ipVersion == Ipv4HeaderFlyweight.VERSION)
        {
            ethernet.etherType(EthernetHeaderFlyweight.TYPE_IPV4);
            NetworkOrder.putByte(store, ipIndex, (Ipv4HeaderFlyweight.VERSION << 4) | Ipv4HeaderFlyweight.MIN_IHL);
            ipv4.wrap(store, ipIndex, Ipv4HeaderFlyweight.MIN_HEADER_LENGTH + tcpLength - inStore)
                .tos(0)
                .totalLength(Ipv4HeaderFlyweight.MIN_HEADER_LENGTH + tcpLength)
                .identification(nextIpIdentification++)
                .flags(Ipv4HeaderFlyweight.FLAG_DF)
                .fragmentOffset(0)
                .ttl(ttl)
                .protocol(Ipv4HeaderFlyweight.PROTOCOL_TCP)
                .headerChecksum(0)
                .sourceAddress(sourceIpv4)
                .destinationAddress(destinationIpv4);
            Checksums.writeIpv4HeaderChecksum(store, ipIndex);
        }
        else
        {
            ethernet.etherType(EthernetHeaderFlyweight.TYPE_IPV6);
            NetworkOrder.putInt(store, ipIndex, Ipv6HeaderFlyweight.VERSION << 28);
            ipv6.wrap(store, ipIndex, Ipv6HeaderFlyweight.HEADER_LENGTH + tcpLength - inStore)
                .payloadLength(tcpLength)
                .nextHeader(Ipv6HeaderFlyweight.NEXT_HEADER_TCP)
                .hopLimit(ttl)
                .sourceAddress(sourceHigh, sourceLow)
                .destinationAddress(destinationHigh, destinationLow);
        }

        // Byte 12 also holds the reserved bits, which dataOffset() keeps: clear them first.
        NetworkOrder.putByte(store, tcpIndex + TcpHeaderFlyweight.DATA_OFFSET_OFFSET, 0);
        tcp.wrap(store, tcpIndex, tcpLength - inStore)
            .sourcePort(sourcePort)
            .destinationPort(destinationPort)
            .sequenceNumber(seq)
            .acknowledgmentNumber(ack)
            .dataOffset((TcpHeaderFlyweight.MIN_HEADER_LENGTH + optionsLength) / 4)
            .flags(flags)
            .window(window)
            .checksum(0)
            .urgentPointer(0);
        for (int i = 0; i < optionsLength; i++)
        {
            store.writeByte(tcpIndex + TcpHeaderFlyweight.OPTIONS_OFFSET + i, optionScratch.readByte(i));
        }
        if (!payloadInStore)
        {
            return frameLength;
        }
        if (ipVersion == Ipv4HeaderFlyweight.VERSION)
        {
            Checksums.writeTcpIpv4(store, ipIndex, tcpIndex, tcpLength);
        }
        else
        {
            Checksums.writeTcpIpv6(store, ipIndex, tcpIndex, tcpLength);
        }
        return frameLength;
    }

    private int l2Length()
    {
        return vlanTci == NO_VLAN ?
            EthernetHeaderFlyweight.HEADER_LENGTH : EthernetHeaderFlyweight.TAGGED_HEADER_LENGTH;
    }

    private int l3Length()
    {
        return ipVersion == Ipv4HeaderFlyweight.VERSION ?
            Ipv4HeaderFlyweight.MIN_HEADER_LENGTH : Ipv6HeaderFlyweight.HEADER_LENGTH;
    }
}
