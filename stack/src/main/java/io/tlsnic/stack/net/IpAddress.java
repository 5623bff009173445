package io.tlsnic.stack.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as 128 bits; IPv4 in its IPv4-mapped form {@code ::ffff:a.b.c.d}, the form the frame
 * parser reports.
 *
 * @param high first 64 bits.
 * @param low last 64 bits.
 */
public record IpAddress(long high, long low)
{
    private static final long MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    /** @return the IPv4 address {@code a.b.c.d} given as a big-endian int. */
    public static IpAddress ofIpv4(final int address)
    {
        return new IpAddress(0, MAPPED_PREFIX | (address & 0xFFFF_FFFFL));
    }

    /**
     * @param text dotted quad or IPv6 text, literal only (no name lookup).
     * @return the address.
     * @throws IllegalArgumentException naming the text when it is not an address literal.
     */
    public static IpAddress parse(final String text)
    {
        if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]+"))
        {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
        try
        {
            final byte[] b = InetAddress.getByName(text).getAddress();
            if (b.length == 4)
            {
                return ofIpv4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++)
            {
                hi = (hi << 8) | (b[i] & 0xFF);
                lo = (lo << 8) | (b[8 + i] & 0xFF);
            }
            return new IpAddress(hi, lo);
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
    }

    /** @return whether this is an IPv4(-mapped) address. */
    public boolean isIpv4()
    {
        return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == MAPPED_PREFIX;
    }

    /** @return the IPv4 address as a big-endian int (only for {@link #isIpv4()}). */
    public int ipv4()
    {
        return (int)low;
    }

    @Override
    public String toString()
    {
        if (isIpv4())
        {
            final int a = ipv4();
            return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            final long word = i < 4 ? high >>> (48 - 16 * i) : low >>> (48 - 16 * (i - 4));
            if (i > 0)
            {
                sb.append(':');
            }
            sb.append(Long.toHexString(word & 0xFFFF));
        }
        return sb.toString();
    }
}
