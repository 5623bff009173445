package io.tlsnic.harness.replay;

import java.util.Arrays;

import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * Turns captured frames into {@link TcpSegment}s with {@link FrameParser}, after the link header of the capture's
 * {@link LinkType}. A frame the snaplen cut short is parsed as if its missing bytes were there, so that its flow,
 * sequence number and the number of payload bytes lost are known. Frames are parsed in one reused buffer (wrapping
 * each frame's array in a new {@link BytesStore} costs more than copying the frame).
 */
public final class SegmentDecoder
{
    private final LinkType linkType;
    private final FrameParser parser = new FrameParser();
    private byte[] buffer = new byte[2048];
    private BytesStore<?, byte[]> store = BytesStore.wrap(buffer);
    private ParseStatus lastStatus;

    /** @param linkType the capture's link type. */
    public SegmentDecoder(final LinkType linkType)
    {
        this.linkType = linkType;
    }

    /**
     * @param frame a captured frame.
     * @return its TCP segment, or {@code null} when the frame is not a whole, well-formed TCP segment over IP
     *     ({@link #lastStatus()} says why).
     */
    public TcpSegment decode(final CapturedFrame frame)
    {
        hold(frame.data(), frame.capturedLength(), frame.capturedLength());
        lastStatus = linkType.parse(parser, store, frame.capturedLength());
        if (lastStatus == ParseStatus.TRUNCATED && frame.isCut())
        {
            hold(frame.data(), frame.capturedLength(), frame.originalLength());
            lastStatus = linkType.parse(parser, store, frame.originalLength());
        }
        if (lastStatus != ParseStatus.OK)
        {
            return null;
        }
        final int payloadOffset = (int)parser.frameIndex() + parser.payloadOffset();
        final int payloadLength = parser.payloadLength();
        final int captured = Math.max(0, Math.min(payloadLength, frame.capturedLength() - payloadOffset));
        final TcpHeaderFlyweight tcp = parser.tcp();
        return new TcpSegment(
            frame.number(),
            new Endpoint(parser.sourceAddressHigh(), parser.sourceAddressLow(), parser.sourcePort()),
            new Endpoint(parser.destinationAddressHigh(), parser.destinationAddressLow(), parser.destinationPort()),
            tcp.sequenceNumber(),
            tcp.flags(),
            frame.data(),
            payloadOffset,
            captured,
            payloadLength - captured);
    }

    /** Copies {@code length} bytes of a frame into the buffer, zeros up to {@code paddedLength}. */
    private void hold(final byte[] data, final int length, final int paddedLength)
    {
        if (paddedLength > buffer.length)
        {
            buffer = new byte[Math.max(paddedLength, buffer.length * 2)];
            store = BytesStore.wrap(buffer);
        }
        System.arraycopy(data, 0, buffer, 0, length);
        Arrays.fill(buffer, length, paddedLength, (byte)0);
    }

    /** @return the parse status of the last frame. */
    public ParseStatus lastStatus()
    {
        return lastStatus;
    }
}
