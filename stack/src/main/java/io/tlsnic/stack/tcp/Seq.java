package io.tlsnic.stack.tcp;

/**
 * TCP sequence-number arithmetic (RFC 9293 section 3.4). A sequence number is an unsigned 32-bit value held in a
 * Java {@code int} (the same bits; {@link #toUnsigned(int)} shows it as a {@code long}). Addition wraps mod 2^32
 * as Java {@code int} addition does, and order is defined by the sign of the 32-bit difference, so comparisons
 * are only meaningful between numbers less than 2^31 apart, which the windows of one connection always are.
 * Every sequence comparison in this package goes through this class; never compare sequence numbers with
 * {@code <}.
 */
public final class Seq
{
    private Seq()
    {
    }

    /** @return {@code a + n} mod 2^32. */
    public static int add(final int a, final int n)
    {
        return a + n;
    }

    /** @return the signed distance {@code a - b}, correct while the two are less than 2^31 apart. */
    public static int diff(final int a, final int b)
    {
        return a - b;
    }

    /** @return whether {@code a} comes strictly before {@code b}. */
    public static boolean before(final int a, final int b)
    {
        return a - b < 0;
    }

    /** @return whether {@code a} comes before or is {@code b}. */
    public static boolean beforeOrAt(final int a, final int b)
    {
        return a - b <= 0;
    }

    /** @return whether {@code a} comes strictly after {@code b}. */
    public static boolean after(final int a, final int b)
    {
        return a - b > 0;
    }

    /** @return whether {@code a} comes after or is {@code b}. */
    public static boolean afterOrAt(final int a, final int b)
    {
        return a - b >= 0;
    }

    /** @return whether {@code lo <= x < hi} in sequence space (a half-open range, as windows are). */
    public static boolean inRange(final int x, final int lo, final int hi)
    {
        return x - lo >= 0 && hi - x > 0;
    }

    /** @return whichever of the two comes later. */
    public static int max(final int a, final int b)
    {
        return after(a, b) ? a : b;
    }

    /** @return whichever of the two comes earlier. */
    public static int min(final int a, final int b)
    {
        return before(a, b) ? a : b;
    }

    /** @return the sequence number as the unsigned value it stands for, 0 to 2^32 - 1. */
    public static long toUnsigned(final int seq)
    {
        return seq & 0xFFFF_FFFFL;
    }
}
