package io.tlsnic.nic.flow;

/**
 * What identifies an offloaded flow in one direction: IP version, source and destination addresses and ports as
 * they appear in packets of that direction (RX: the peer is the source), and the direction. A mutable value that
 * its owner reuses, so look-ups allocate nothing. Addresses are held as two big-endian 64-bit halves; an IPv4
 * address is the low 32 bits of the low half.
 */
public final class FlowKey
{
    private int ipVersion;
    private long srcHigh;
    private long srcLow;
    private long dstHigh;
    private long dstLow;
    private int srcPort;
    private int dstPort;
    private Direction direction;

    /**
     * @param direction direction. @param srcAddress source (big-endian int). @param dstAddress destination.
     * @param srcPort source port. @param dstPort destination port.
     * @return this.
     */
    public FlowKey setIpv4(
        final Direction direction, final int srcAddress, final int dstAddress, final int srcPort, final int dstPort)
    {
        return set(direction, 4, 0, srcAddress & 0xFFFF_FFFFL, 0, dstAddress & 0xFFFF_FFFFL, srcPort, dstPort);
    }

    /**
     * @param direction direction. @param srcHigh source bytes 0-7. @param srcLow source bytes 8-15.
     * @param dstHigh destination bytes 0-7. @param dstLow destination bytes 8-15.
     * @param srcPort source port. @param dstPort destination port.
     * @return this.
     */
    public FlowKey setIpv6(
        final Direction direction, final long srcHigh, final long srcLow, final long dstHigh, final long dstLow,
        final int srcPort, final int dstPort)
    {
        return set(direction, 6, srcHigh, srcLow, dstHigh, dstLow, srcPort, dstPort);
    }

    FlowKey set(
        final Direction direction, final int ipVersion, final long srcHigh, final long srcLow, final long dstHigh,
        final long dstLow, final int srcPort, final int dstPort)
    {
        if (ipVersion != 4 && ipVersion != 6)
        {
            throw new IllegalArgumentException("IP version " + ipVersion + " is neither 4 nor 6");
        }
        this.direction = direction;
        this.ipVersion = ipVersion;
        this.srcHigh = srcHigh;
        this.srcLow = srcLow;
        this.dstHigh = dstHigh;
        this.dstLow = dstLow;
        this.srcPort = srcPort & 0xFFFF;
        this.dstPort = dstPort & 0xFFFF;
        return this;
    }

    /** @param other key to copy. @return this. */
    public FlowKey copyFrom(final FlowKey other)
    {
        return set(other.direction, other.ipVersion, other.srcHigh, other.srcLow, other.dstHigh, other.dstLow,
            other.srcPort, other.dstPort);
    }

    /** @return 4 or 6. */
    public int ipVersion()
    {
        return ipVersion;
    }

    /** @return source address bytes 0-7 (0 for IPv4). */
    public long srcHigh()
    {
        return srcHigh;
    }

    /** @return source address bytes 8-15 (the IPv4 address in the low 32 bits). */
    public long srcLow()
    {
        return srcLow;
    }

    /** @return destination address bytes 0-7 (0 for IPv4). */
    public long dstHigh()
    {
        return dstHigh;
    }

    /** @return destination address bytes 8-15 (the IPv4 address in the low 32 bits). */
    public long dstLow()
    {
        return dstLow;
    }

    /** @return source port. */
    public int srcPort()
    {
        return srcPort;
    }

    /** @return destination port. */
    public int dstPort()
    {
        return dstPort;
    }

    /** @return direction. */
    public Direction direction()
    {
        return direction;
    }

    @Override
    public int hashCode()
    {
        long h = srcHigh * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ srcLow) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ dstHigh) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ dstLow) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ ((long)srcPort << 32 | (long)dstPort << 16 | ipVersion << 1 | direction.code())) *
            0x9E37_79B9_7F4A_7C15L;
        return (int)(h ^ (h >>> 32));
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof FlowKey))
        {
            return false;
        }
        final FlowKey k = (FlowKey)o;
        return ipVersion == k.ipVersion && srcHigh == k.srcHigh && srcLow == k.srcLow && dstHigh == k.dstHigh &&
            dstLow == k.dstLow && srcPort == k.srcPort && dstPort == k.dstPort && direction == k.direction;
    }

    @Override
    public String toString()
    {
        return direction + " " + (ipVersion == 4 ?
            ipv4(srcLow) + ":" + srcPort + " -> " + ipv4(dstLow) + ":" + dstPort :
            String.format("[%016x%016x]:%d -> [%016x%016x]:%d", srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort));
    }

    private static String ipv4(final long a)
    {
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }
}
