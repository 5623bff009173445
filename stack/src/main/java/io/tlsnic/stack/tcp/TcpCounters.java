package io.tlsnic.stack.tcp;

/** The values of every {@link TcpCounter} for one connection; the connection is the only writer. */
public final class TcpCounters
{
    private final long[] values = new long[TcpCounter.values().length];

    void increment(final TcpCounter counter)
    {
        values[counter.id()]++;
    }

    void add(final TcpCounter counter, final long delta)
    {
        values[counter.id()] += delta;
    }

    /** @return the current value. */
    public long get(final TcpCounter counter)
    {
        return values[counter.id()];
    }

    /** @return non-zero counters as {@code "TcpInSegs=12 TcpOutSegs=9"}. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final TcpCounter c : TcpCounter.values())
        {
            if (values[c.id()] != 0)
            {
                sb.append(sb.length() == 0 ? "" : " ").append(c.label()).append('=').append(values[c.id()]);
            }
        }
        return sb.toString();
    }
}
