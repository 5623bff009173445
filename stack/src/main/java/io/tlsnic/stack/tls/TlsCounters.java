package io.tlsnic.stack.tls;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The {@link TlsStat} counters of one host, shared by all its kTLS sockets (Linux keeps them per network
 * namespace, {@code net->mib.tls_statistics}). Values are written by the host's thread and may be read from any
 * thread (a report, a JMH harness), hence the atomic array.
 */
public final class TlsCounters
{
    private final AtomicLongArray values = new AtomicLongArray(TlsStat.values().length);

    /**
     * @param stat counter.
     * @return current value.
     */
    public long get(final TlsStat stat)
    {
        return values.get(stat.id());
    }

    /** @param stat counter to add one to. */
    public void increment(final TlsStat stat)
    {
        values.incrementAndGet(stat.id());
    }

    /** @param stat counter to take one from (the {@code TlsCurr*} gauges). */
    public void decrement(final TlsStat stat)
    {
        values.decrementAndGet(stat.id());
    }

    /** @return the counters as {@code /proc/net/tls_stat} prints them, one {@code "Label  value"} a line. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final TlsStat stat : TlsStat.values())
        {
            sb.append(String.format("%-32s%d%n", stat.label(), get(stat)));
        }
        return sb.toString();
    }
}
