package io.tlsnic.nic.dp;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.wire.frame.Checksums;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.Ipv4HeaderFlyweight;
import io.tlsnic.wire.frame.Ipv6HeaderFlyweight;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;

/**
 * TCP segmentation offload: one super-frame (headers + payload of up to 64 KiB) becomes MSS-sized frames, each with
 * copied headers, its own TCP seq, IPv4 identification and length, FIN/PSH only on the last frame and CWR only on
 * the first, and both checksums recomputed (as a NIC's LSO engine does).
 */
final class Tso
{
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
    private final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();

    /** Receives each frame the segmenter produces. */
    @FunctionalInterface
    interface FrameSink
    {
        /** @param frame the segmenter's buffer, valid during the call only. @param length frame length. */
        void send(byte[] frame, int length);
    }

    /** One segment at a time is built here: the sink copies what it keeps, so no frame is allocated per segment. */
    private final byte[] segment = new byte[NicConfig.MAX_TX_FRAME];
    private final BytesStore<?, byte[]> segmentStore = BytesStore.wrap(segment);

    /**
     * Cuts the parsed super-frame into frames of at most {@code mss} payload bytes and sends them in order.
     *
     * @param parser parse of the super-frame (status OK).
     * @param frame the super-frame.
     * @param mss maximum payload per frame, at least 1.
     * @param sink where frames go.
     * @return frames sent.
     */
    int segment(final FrameParser parser, final byte[] frame, final int mss, final FrameSink sink)
    {
        final int header = parser.payloadOffset();
        final int payload = parser.payloadLength();
        final long seq = parser.tcp().sequenceNumber();
        final int flags = parser.tcp().flags();
        final int firstIpId = parser.ipVersion() == 4 ? parser.ipv4().identification() : 0;
        int frames = 0;
        for (int p = 0; p < payload || frames == 0; p += mss)
        {
            final int n = Math.min(mss, payload - p);
            System.arraycopy(frame, 0, segment, 0, header);
            System.arraycopy(frame, header + p, segment, header, n);
            final boolean last = p + n >= payload;
            int f = flags;
            if (!last)
            {
                f &= ~(TcpHeaderFlyweight.FIN | TcpHeaderFlyweight.PSH);
            }
            if (frames > 0)
            {
                f &= ~TcpHeaderFlyweight.CWR;
            }
            finish(parser, segmentStore, header, n, seq + p, f, (firstIpId + frames) & 0xFFFF);
            sink.send(segment, header + n);
            frames++;
        }
        return frames;
    }

    /**
     * Rewrites lengths, seq, flags and IP id of one frame and computes both checksums.
     *
     * @param parser parse of the original frame (offsets are the same in {@code out}).
     * @param store the frame.
     * @param header header length.
     * @param payload payload length.
     * @param seq TCP seq.
     * @param flags TCP flags.
     * @param ipId IPv4 identification.
     */
    void finish(final FrameParser parser, final BytesStore<?, ?> store, final int header, final int payload,
        final long seq, final int flags, final int ipId)
    {
        final int l3 = parser.l3Offset();
        final int l4 = parser.l4Offset();
        final int tcpLength = header - l4 + payload;
        tcp.wrap(store, l4, tcpLength).sequenceNumber(seq).flags(flags);
        if (parser.ipVersion() == 4)
        {
            ipv4.wrap(store, l3, header - l3 + payload).totalLength(header - l3 + payload).identification(ipId);
            Checksums.writeIpv4HeaderChecksum(store, l3);
            Checksums.writeTcpIpv4(store, l3, l4, tcpLength);
        }
        else
        {
            ipv6.wrap(store, l3, header - l3 + payload).payloadLength(tcpLength);
            Checksums.writeTcpIpv6(store, l3, l4, tcpLength);
        }
    }
}
