package io.tlsnic.harness.replay;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.tlsnic.wire.frame.FrameParser;

/**
 * One end of a TCP connection: an IPv6 address (IPv4 ones in their IPv4-mapped form, as {@link FrameParser} gives
 * them) and a port.
 *
 * @param addressHigh first 8 bytes of the address.
 * @param addressLow  last 8 bytes of the address.
 * @param port        TCP port.
 */
public record Endpoint(long addressHigh, long addressLow, int port)
{
    /** @return whether the address is IPv4-mapped. */
    public boolean isIpv4()
    {
        return addressHigh == FrameParser.IPV4_MAPPED_HIGH
            && (addressLow & 0xFFFF_FFFF_0000_0000L) == FrameParser.IPV4_MAPPED_LOW_PREFIX;
    }

    /** @return "a.b.c.d:port" or "[v6]:port". */
    @Override
    public String toString()
    {
        if (isIpv4())
        {
            return ((addressLow >>> 24) & 0xFF) + "." + ((addressLow >>> 16) & 0xFF) + "." + ((addressLow >>> 8) & 0xFF)
                + "." + (addressLow & 0xFF) + ":" + port;
        }
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(addressHigh >>> (56 - 8 * i));
            bytes[8 + i] = (byte)(addressLow >>> (56 - 8 * i));
        }
        try
        {
            return "[" + InetAddress.getByAddress(bytes).getHostAddress() + "]:" + port;
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException("16 bytes are always an address", e);
        }
    }
}
