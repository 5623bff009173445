package io.tlsnic.stack.dev;

import java.util.Arrays;

/**
 * One frame handed to a device, as a two-entry gather list: the headers in one buffer and the TCP payload in
 * another (an skb's linear part and its page fragments), with the offloads the stack asks for. The payload may be
 * the bytes right after the headers in the same array (a contiguous frame) or a reference into the TCP send buffer.
 *
 * <p>Both buffers are lent for the duration of {@link NetDevice#transmit} only: a device that posts the packet
 * copies the bytes into its TX buffers during the call, and one that keeps the packet for later (a backlog, a queue
 * waiting for a context install) keeps {@link #detached()} instead.
 *
 * @param header header bytes starting at index 0 (for a contiguous frame, the whole frame).
 * @param headerLength bytes of headers (Ethernet + IP + TCP); the TCP payload starts there on the wire.
 * @param payload the array holding the TCP payload.
 * @param payloadIndex index of the first payload byte in {@code payload}.
 * @param payloadLength TCP payload length.
 * @param payloadSeq TCP seq of the first payload byte (unsigned 32-bit in a long).
 * @param tsoMss MSS to segment the payload with, or 0 when the frame must go as it is.
 * @param tls the socket's TX offload state when the payload holds records for the device to encrypt, else null.
 * @param checksumPartial whether the TCP checksum is left for the device to compute ({@code CHECKSUM_PARTIAL});
 *     otherwise the frame carries complete checksums.
 */
public record TxPacket(byte[] header, int headerLength, byte[] payload, int payloadIndex, int payloadLength,
    long payloadSeq, int tsoMss, TlsTxOffload tls, boolean checksumPartial)
{
    /**
     * A contiguous frame with complete checksums.
     *
     * @param frame frame bytes starting at index 0.
     * @param length frame length.
     * @param payloadOffset index of the first TCP payload byte.
     * @param payloadSeq TCP seq of that byte (unsigned 32-bit in a long).
     * @param tsoMss MSS to segment the payload with, or 0.
     * @param tls the socket's TX offload state, or null.
     */
    public TxPacket(final byte[] frame, final int length, final int payloadOffset, final long payloadSeq,
        final int tsoMss, final TlsTxOffload tls)
    {
        this(frame, payloadOffset, frame, payloadOffset, length - payloadOffset, payloadSeq, tsoMss, tls, false);
    }

    /** @return frame length: headers and payload. */
    public int length()
    {
        return headerLength + payloadLength;
    }

    /** @return index of the first TCP payload byte in the frame. */
    public int payloadOffset()
    {
        return headerLength;
    }

    /** @return whether the payload follows the headers in the same array. */
    public boolean contiguous()
    {
        return payload == header && payloadIndex == headerLength;
    }

    /** @return the whole frame in one array starting at index 0: the header array itself when contiguous. */
    public byte[] frame()
    {
        if (contiguous())
        {
            return header;
        }
        final byte[] frame = Arrays.copyOf(header, length());
        System.arraycopy(payload, payloadIndex, frame, headerLength, payloadLength);
        return frame;
    }

    /** @return a packet that owns its bytes, for a device that keeps the packet past the transmit call. */
    public TxPacket detached()
    {
        final byte[] frame = Arrays.copyOf(header, length());
        System.arraycopy(payload, payloadIndex, frame, headerLength, payloadLength);
        return new TxPacket(frame, headerLength, frame, headerLength, payloadLength, payloadSeq, tsoMss, tls,
            checksumPartial);
    }
}
