package io.tlsnic.harness.replay;

/**
 * One record of a capture file as libpcap returns it.
 *
 * @param number          1-based packet number, as Wireshark counts.
 * @param timestampNs     capture time in nanoseconds since the epoch.
 * @param capturedLength  bytes present in the file (at most the snaplen).
 * @param originalLength  bytes the packet had on the wire.
 * @param data            the captured bytes, {@code capturedLength} long.
 */
public record CapturedFrame(long number, long timestampNs, int capturedLength, int originalLength, byte[] data)
{
    /** @return whether the snaplen cut the packet short. */
    public boolean isCut()
    {
        return capturedLength < originalLength;
    }
}
