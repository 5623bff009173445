package io.tlsnic.stack.dev;

/**
 * A TCP connection's addresses and ports from one host's point of view. Addresses are 128-bit; IPv4 is held in
 * its IPv4-mapped form {@code ::ffff:a.b.c.d} (high = 0, low = 0x0000_FFFF_xxxx_xxxx), as the frame parser
 * reports it.
 */
public record FlowTuple(long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow, int remotePort)
{
    /** @return the same connection seen from the other end. */
    public FlowTuple reversed()
    {
        return new FlowTuple(remoteHigh, remoteLow, remotePort, localHigh, localLow, localPort);
    }
}
