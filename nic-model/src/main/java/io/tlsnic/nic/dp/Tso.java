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
        /**
         * @param frame the super-frame's buffer, valid during the call only (the next frame's headers are written
         *     over this one's payload).
         * @param offset where the frame starts in it.
         * @param length frame length.
         */
        void send(byte[] frame, int offset, int length);
    }

    /** The super-frame's headers as they came, copied in front of each frame after the first; grows if needed. */
    private byte[] headers = new byte[128];
    /** Built on first use: a buffer for frames whose MSS is smaller than their headers. */
    private byte[] smallMssFrame;
    private BytesStore<?, byte[]> smallMssStore;

    /**
     * Cuts the parsed super-frame into frames of at most {@code mss} payload bytes and sends them in order, in place:
     * the frame carrying payload bytes from {@code p} starts at {@code p} in the super-frame's buffer, its headers
     * copied over the last {@code header} payload bytes of the frame before it, which has been sent by then. So no
     * payload byte is copied here, and the super-frame's buffer holds no meaningful frame once this returns. An MSS
     * smaller than the headers leaves no room for them there (no driver posts one, but the device takes it): each
     * frame is then built in a buffer of its own.
     *
     * <pre>
     *   before:  | headers | payload 0 .. mss | payload mss .. 2 mss | ...
     *   frame 1:                   | headers | payload mss .. 2 mss |        (starts at mss)
     * </pre>
     *
     * @param parser parse of the super-frame (status OK).
     * @param frame the super-frame.
     * @param store {@code frame}, wrapped.
     * @param mss maximum payload per frame, at least 1.
     * @param sink where frames go.
     * @return frames sent.
     */
    int segment(final FrameParser parser, final byte[] frame, final BytesStore<?, ?> store, final int mss,
        final FrameSink sink)
    {
        final int header = parser.payloadOffset();
        final int payload = parser.payloadLength();
        final long seq = parser.tcp().sequenceNumber();
        final int flags = parser.tcp().flags();
        final int firstIpId = parser.ipVersion() == 4 ? parser.ipv4().identification() : 0;
        final boolean inPlace = mss >= header;
        if (!inPlace && smallMssFrame == null)
        {
            smallMssFrame = new byte[NicConfig.MAX_TX_FRAME];
            smallMssStore = BytesStore.wrap(smallMssFrame);
        }
        final byte[] out = inPlace ? frame : smallMssFrame;
        final BytesStore<?, ?> outStore = inPlace ? store : smallMssStore;
        if (headers.length < header)
        {
            headers = new byte[header];
        }
        System.arraycopy(frame, 0, headers, 0, header);
        int frames = 0;
        for (int p = 0; p < payload || frames == 0; p += mss)
        {
            final int n = Math.min(mss, payload - p);
            final int base = inPlace ? p : 0;
            if (!inPlace)
            {
                System.arraycopy(frame, header + p, out, header, n);
            }
            if (p > 0 || !inPlace)
            {
                System.arraycopy(headers, 0, out, base, header);
            }
            finish(parser, outStore, base, header, n, seq + p, frameFlags(flags, p + n >= payload, frames),
                (firstIpId + frames) & 0xFFFF);
            sink.send(out, base, header + n);
            frames++;
        }
        return frames;
    }

    /** FIN and PSH only on the last frame, CWR only on the first. */
    private static int frameFlags(final int flags, final boolean last, final int frameIndex)
    {
        int f = flags;
        if (!last)
        {
            f &= ~(TcpHeaderFlyweight.FIN | TcpHeaderFlyweight.PSH);
        }
        if (frameIndex > 0)
        {
            f &= ~TcpHeaderFlyweight.CWR;
        }
        return f;
    }

    /**
     * Rewrites lengths, seq, flags and IP id of one frame and computes both checksums.
     *
     * @param parser parse of the original frame (offsets relative to the frame's start).
     * @param store the buffer holding the frame.
     * @param base where the frame starts in {@code store}.
     * @param header header length.
     * @param payload payload length.
     * @param seq TCP seq.
     * @param flags TCP flags.
     * @param ipId IPv4 identification.
     */
    void finish(final FrameParser parser, final BytesStore<?, ?> store, final int base, final int header,
        final int payload, final long seq, final int flags, final int ipId)
    {
        final int l3 = base + parser.l3Offset();
        final int l4 = base + parser.l4Offset();
        final int tcpLength = base + header - l4 + payload;
        tcp.wrap(store, l4, tcpLength).sequenceNumber(seq).flags(flags);
        if (parser.ipVersion() == 4)
        {
            final int ipLength = base + header - l3 + payload;
            ipv4.wrap(store, l3, ipLength).totalLength(ipLength).identification(ipId);
            Checksums.writeIpv4HeaderChecksum(store, l3);
            Checksums.writeTcpIpv4(store, l3, l4, tcpLength);
        }
        else
        {
            ipv6.wrap(store, l3, base + header - l3 + payload).payloadLength(tcpLength);
            Checksums.writeTcpIpv6(store, l3, l4, tcpLength);
        }
    }
}
