package io.tlsnic.wire.frame;

/**
 * The RFC 1071 sum written the slow, obvious way (big-endian 16-bit words from a byte array, fold at the end), to
 * check {@link Checksums} against something that shares none of its code.
 */
final class ReferenceChecksum
{
    private ReferenceChecksum()
    {
    }

    static int sum(final byte[] data, final int from, final int length)
    {
        long sum = 0;
        for (int i = 0; i < length; i += 2)
        {
            final int high = data[from + i] & 0xFF;
            final int low = i + 1 < length ? data[from + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }

    /** TCP checksum over IPv6: pseudo-header (RFC 8200 section 8.1) + segment with its checksum field zeroed. */
    static int tcpIpv6(final byte[] frame, final int ipIndex, final int tcpIndex, final int tcpLength)
    {
        final byte[] buffer = new byte[40 + tcpLength];
        System.arraycopy(frame, ipIndex + 8, buffer, 0, 32);
        buffer[32] = (byte)(tcpLength >>> 24);
        buffer[33] = (byte)(tcpLength >>> 16);
        buffer[34] = (byte)(tcpLength >>> 8);
        buffer[35] = (byte)tcpLength;
        buffer[39] = 6;
        System.arraycopy(frame, tcpIndex, buffer, 40, tcpLength);
        buffer[40 + 16] = 0;
        buffer[40 + 17] = 0;
        return ~sum(buffer, 0, buffer.length) & 0xFFFF;
    }

    /** TCP checksum over IPv4: pseudo-header (RFC 9293 section 3.1) + segment with its checksum field zeroed. */
    static int tcpIpv4(final byte[] frame, final int ipIndex, final int tcpIndex, final int tcpLength)
    {
        final byte[] buffer = new byte[12 + tcpLength];
        System.arraycopy(frame, ipIndex + 12, buffer, 0, 8);
        buffer[9] = 6;
        buffer[10] = (byte)(tcpLength >>> 8);
        buffer[11] = (byte)tcpLength;
        System.arraycopy(frame, tcpIndex, buffer, 12, tcpLength);
        buffer[12 + 16] = 0;
        buffer[12 + 17] = 0;
        return ~sum(buffer, 0, buffer.length) & 0xFFFF;
    }
}
