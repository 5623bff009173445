package io.tlsnic.stack.net;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.stack.tcp.TcpSegment;
import io.tlsnic.wire.frame.FrameBuilder;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;
import io.tlsnic.wire.frame.TcpOptionIterator;
import io.tlsnic.wire.frame.TcpOptionWriter;

/**
 * Turns the TCP model's segments into real Ethernet + IP + TCP frames (with options and checksums) and parsed
 * frames back into segments. One instance per connection direction for encoding (it holds the flow's
 * addresses); decoding is static over a parsed frame.
 */
public final class SegmentCodec
{
    /** Room for the longest headers: Ethernet with a VLAN tag (18), IPv6 (40), TCP with 40 bytes of options (60). */
    static final int MAX_HEADER_LENGTH = 128;

    private final FrameBuilder builder = new FrameBuilder();
    private final byte[] header = new byte[MAX_HEADER_LENGTH];
    private final BytesStore<?, byte[]> headerStore = BytesStore.wrap(header);

    /**
     * @param localMac this host's MAC (low 48 bits).
     * @param remoteMac next hop's MAC.
     * @param local this host's address.
     * @param remote the peer's address (same family as {@code local}).
     * @param localPort local TCP port.
     * @param remotePort remote TCP port.
     */
    public SegmentCodec(final long localMac, final long remoteMac, final IpAddress local, final IpAddress remote,
        final int localPort, final int remotePort)
    {
        builder.ethernet(remoteMac, localMac).ports(localPort, remotePort);
        if (local.isIpv4() != remote.isIpv4())
        {
            throw new IllegalArgumentException("address families differ: " + local + " and " + remote);
        }
        if (local.isIpv4())
        {
            builder.ipv4(local.ipv4(), remote.ipv4());
        }
        else
        {
            builder.ipv6(local.high(), local.low(), remote.high(), remote.low());
        }
    }

    /** @return bytes before the TCP payload for a segment with these options. */
    public int headerLength(final TcpSegment segment)
    {
        writeOptions(segment);
        return builder.headerLength();
    }

    /**
     * Encodes a segment into a new frame.
     *
     * @param segment the segment.
     * @return the frame; its TCP payload starts at {@link #headerLength(TcpSegment)}.
     */
    public byte[] encode(final TcpSegment segment)
    {
        writeOptions(segment);
        final int header = builder.headerLength();
        final byte[] frame = new byte[header + segment.payloadLength()];
        System.arraycopy(segment.payload(), segment.payloadOffset(), frame, header, segment.payloadLength());
        builder.write(BytesStore.wrap(frame), 0, segment.seq() & 0xFFFF_FFFFL, segment.ack() & 0xFFFF_FFFFL,
            segment.flags(), segment.window(), segment.payloadLength());
        return frame;
    }

    /**
     * Encodes only the headers of a segment, for a device that takes headers and payload as separate buffers and
     * computes the TCP checksum itself: the payload is not copied and the TCP checksum is left zero.
     *
     * @param segment the segment.
     * @return header length; the headers are in {@link #headers()} until the next call.
     */
    public int encodeHeaders(final TcpSegment segment)
    {
        writeOptions(segment);
        return builder.writeHeaders(headerStore, 0, segment.seq() & 0xFFFF_FFFFL, segment.ack() & 0xFFFF_FFFFL,
            segment.flags(), segment.window(), segment.payloadLength());
    }

    /** @return the buffer {@link #encodeHeaders} writes, reused by every call. */
    public byte[] headers()
    {
        return header;
    }

    private void writeOptions(final TcpSegment s)
    {
        final TcpOptionWriter options = builder.options();
        if (s.mss() > 0)
        {
            options.mss(s.mss());
        }
        if (s.sackPermitted())
        {
            options.sackPermitted();
        }
        if (s.windowScale() >= 0)
        {
            options.windowScale(s.windowScale());
        }
        if (s.hasTimestamps())
        {
            options.timestamps(s.tsVal() & 0xFFFF_FFFFL, s.tsEcr() & 0xFFFF_FFFFL);
        }
        for (int i = 0; i < s.sackBlockCount(); i++)
        {
            options.sackBlock(s.sackStart(i) & 0xFFFF_FFFFL, s.sackEnd(i) & 0xFFFF_FFFFL);
        }
    }

    /**
     * Decodes a frame the parser accepted into a segment. The payload is referenced, not copied.
     *
     * @param parser a parser whose last parse returned OK, over {@code frame}.
     * @param frame the frame array the parser read (a heap store over it).
     * @param frameOffset index of the frame in {@code frame}.
     * @param mark the device's mark for the packet.
     * @param options reusable option iterator.
     * @return the segment, or null when its TCP options are malformed.
     */
    public static TcpSegment decode(final FrameParser parser, final byte[] frame, final int frameOffset,
        final int mark, final TcpOptionIterator options)
    {
        return decodeWithPayload(parser, frame, frameOffset + parser.payloadOffset(), mark, options);
    }

    /**
     * Decodes a frame the parser accepted into a segment whose payload is given separately (copied out of a buffer
     * the device lent).
     *
     * @param parser a parser whose last parse returned OK.
     * @param payload the array holding the TCP payload.
     * @param payloadIndex index of its first byte.
     * @param mark the device's mark for the packet.
     * @param options reusable option iterator.
     * @return the segment, or null when its TCP options are malformed.
     */
    public static TcpSegment decodeWithPayload(final FrameParser parser, final byte[] payload, final int payloadIndex,
        final int mark, final TcpOptionIterator options)
    {
        final TcpHeaderFlyweight tcp = parser.tcp();
        final TcpSegment.Builder b = TcpSegment.builder()
            .ports(parser.sourcePort(), parser.destinationPort())
            .seq((int)tcp.sequenceNumber())
            .ack((int)tcp.acknowledgmentNumber())
            .flags(tcp.flags() & 0x1F)
            .window(tcp.window())
            .payload(payload, payloadIndex, parser.payloadLength())
            .mark(mark);
        options.wrap(tcp);
        int[] sack = null;
        int blocks = 0;
        int kind;
        while ((kind = options.next()) != TcpOptionIterator.END)
        {
            switch (kind)
            {
                case TcpOptionIterator.MALFORMED:
                    return null;
                case TcpOptionIterator.KIND_MSS:
                    b.mss(options.mss());
                    break;
                case TcpOptionIterator.KIND_WINDOW_SCALE:
                    b.windowScale(options.windowScale());
                    break;
                case TcpOptionIterator.KIND_SACK_PERMITTED:
                    b.sackPermitted(true);
                    break;
                case TcpOptionIterator.KIND_TIMESTAMPS:
                    b.timestamps((int)options.timestampValue(), (int)options.timestampEchoReply());
                    break;
                case TcpOptionIterator.KIND_SACK:
                    if (sack == null)
                    {
                        sack = new int[8];
                    }
                    for (int i = 0; i < options.sackBlockCount() && blocks < 4; i++, blocks++)
                    {
                        sack[2 * blocks] = (int)options.sackLeftEdge(i);
                        sack[2 * blocks + 1] = (int)options.sackRightEdge(i);
                    }
                    break;
                default:
                    break; // NOP and unknown options
            }
        }
        if (blocks > 0)
        {
            b.sackBlocks(java.util.Arrays.copyOf(sack, 2 * blocks));
        }
        return b.build();
    }
}
