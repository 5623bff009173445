package io.tlsnic.harness.replay;

/**
 * A TCP segment of the capture, with the payload that was captured.
 *
 * @param frameNumber   packet number in the capture.
 * @param source        sender.
 * @param destination   receiver.
 * @param seq           sequence number of the first payload byte (unsigned 32-bit).
 * @param flags         TCP flags byte.
 * @param data          the captured frame holding the payload (not copied: the payload is a slice of it).
 * @param payloadOffset first captured payload byte in {@code data}.
 * @param payloadLength captured payload bytes.
 * @param missingLength payload bytes the snaplen cut off (0 for a whole packet).
 */
public record TcpSegment(long frameNumber, Endpoint source, Endpoint destination, long seq, int flags, byte[] data,
    int payloadOffset, int payloadLength, int missingLength)
{
    /** @return payload bytes the segment had on the wire. */
    public int wireLength()
    {
        return payloadLength + missingLength;
    }
}
