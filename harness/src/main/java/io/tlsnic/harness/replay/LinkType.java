package io.tlsnic.harness.replay;

import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * The capture link types replay understands, with how to get from the link header to the IP header
 * (tcpdump.org/linktypes.html). Everything after the link header is parsed by {@link FrameParser}.
 */
public enum LinkType
{
    /** DLT_EN10MB: Ethernet II, optionally 802.1Q-tagged. */
    ETHERNET("Ethernet", 1),
    /** DLT_LINUX_SLL: 16-byte Linux cooked header, protocol at offset 14. */
    LINUX_SLL("Linux cooked (SLL)", 113),
    /** DLT_LINUX_SLL2: 20-byte Linux cooked v2 header, protocol at offset 0. */
    LINUX_SLL2("Linux cooked v2 (SLL2)", 276),
    /** DLT_RAW: the packet starts with the IP header (12 on most systems, 14 on OpenBSD; LINKTYPE_RAW is 101). */
    RAW("raw IP", 12, 14, 101, 228, 229),
    /** DLT_NULL: BSD loopback, a 4-byte address family in the capturing host's byte order. */
    NULL("BSD loopback (NULL)", 0),
    /** DLT_LOOP: OpenBSD loopback, a 4-byte address family in network byte order. */
    LOOP("OpenBSD loopback (LOOP)", 108);

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int SLL_HEADER_LENGTH = 16;
    private static final int SLL_PROTOCOL_OFFSET = 14;
    private static final int SLL2_HEADER_LENGTH = 20;
    private static final int SLL2_PROTOCOL_OFFSET = 0;
    private static final int LOOPBACK_HEADER_LENGTH = 4;

    private final String label;
    private final int[] dlts;

    LinkType(final String label, final int... dlts)
    {
        this.label = label;
        this.dlts = dlts;
    }

    /** @return a human label such as "Linux cooked (SLL)". */
    public String label()
    {
        return label;
    }

    /**
     * @param dlt link type as libpcap reports it (DLT_ value) or as the file stores it (LINKTYPE_ value).
     * @return the link type, or {@code null} when replay does not handle it.
     */
    public static LinkType fromDlt(final int dlt)
    {
        for (final LinkType type : values())
        {
            for (final int value : type.dlts)
            {
                if (value == dlt)
                {
                    return type;
                }
            }
        }
        return null;
    }

    /**
     * Strips the link header and parses the rest.
     *
     * @param parser the parser to fill.
     * @param store  the frame's bytes, starting at index 0.
     * @param length bytes of the frame in the store.
     * @return the parse status; {@link ParseStatus#NOT_IP} for a link header that announces neither IPv4 nor IPv6.
     */
    public ParseStatus parse(final FrameParser parser, final BytesStore<?, ?> store, final int length)
    {
        switch (this)
        {
            case ETHERNET:
                return parser.parseEthernet(store, 0, length);
            case LINUX_SLL:
                return parseCooked(parser, store, length, SLL_HEADER_LENGTH, SLL_PROTOCOL_OFFSET);
            case LINUX_SLL2:
                return parseCooked(parser, store, length, SLL2_HEADER_LENGTH, SLL2_PROTOCOL_OFFSET);
            case RAW:
                return parser.parseIp(store, 0, length);
            default:
                // NULL and LOOP: the address family values differ between systems; the IP version nibble does not.
                return length < LOOPBACK_HEADER_LENGTH ? ParseStatus.TRUNCATED
                    : parser.parseIp(store, LOOPBACK_HEADER_LENGTH, length - LOOPBACK_HEADER_LENGTH);
        }
    }

    private static ParseStatus parseCooked(
        final FrameParser parser, final BytesStore<?, ?> store, final int length, final int headerLength,
        final int protocolOffset)
    {
        if (length < headerLength)
        {
            return ParseStatus.TRUNCATED;
        }
        final int protocol = (store.readUnsignedByte(protocolOffset) << 8) | store.readUnsignedByte(protocolOffset + 1);
        if (protocol != ETHERTYPE_IPV4 && protocol != ETHERTYPE_IPV6)
        {
            return ParseStatus.NOT_IP;
        }
        return parser.parseIp(store, headerLength, length - headerLength);
    }

    @Override
    public String toString()
    {
        return label;
    }
}
