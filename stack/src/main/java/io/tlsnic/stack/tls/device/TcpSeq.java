package io.tlsnic.stack.tls.device;

/**
 * Wrap-aware arithmetic on 32-bit TCP sequence numbers held in a {@code long} in {@code [0, 2^32)}, after Linux
 * {@code include/net/tcp.h} {@code before()}/{@code after()} and {@code between()}: {@code a} is before {@code b}
 * when {@code (int)(a - b) < 0}, i.e. within half the sequence space behind it.
 */
final class TcpSeq
{
    static final long MASK = 0xFFFF_FFFFL;

    private TcpSeq()
    {
    }

    static boolean before(final long a, final long b)
    {
        return (int)(a - b) < 0;
    }

    static boolean after(final long a, final long b)
    {
        return before(b, a);
    }

    /** @return whether {@code low <= seq <= high}, wrap-aware (Linux {@code between(seq1, seq2, seq3)}). */
    static boolean between(final long seq, final long low, final long high)
    {
        return ((high - low) & MASK) >= ((seq - low) & MASK);
    }

    static long add(final long seq, final long n)
    {
        return (seq + n) & MASK;
    }

    static long requireSeq(final String name, final long seq)
    {
        if ((seq & ~MASK) != 0)
        {
            throw new IllegalArgumentException(name + " " + seq + " is not a 32-bit TCP sequence number");
        }
        return seq;
    }
}
