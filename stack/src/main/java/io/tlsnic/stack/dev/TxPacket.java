package io.tlsnic.stack.dev;

/**
 * One frame handed to a device: headers and payload in one buffer (the device takes ownership), with the
 * offloads the stack asks for.
 *
 * @param frame frame bytes starting at index 0.
 * @param length frame length.
 * @param payloadOffset index of the first TCP payload byte.
 * @param payloadSeq TCP seq of that byte (unsigned 32-bit in a long).
 * @param tsoMss MSS to segment the payload with, or 0 when the frame must go as it is.
 * @param tls the socket's TX offload state when the payload holds records for the device to encrypt, else null.
 */
public record TxPacket(byte[] frame, int length, int payloadOffset, long payloadSeq, int tsoMss, TlsTxOffload tls)
{
    /** @return TCP payload length. */
    public int payloadLength()
    {
        return length - payloadOffset;
    }
}
