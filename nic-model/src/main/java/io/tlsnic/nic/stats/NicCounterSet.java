package io.tlsnic.nic.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of the {@link NicCounters} of one device. Each counter has one writer (see
 * {@link NicCounters#writer()}), so an increment is a plain read and an ordered (release) store, as Agrona's
 * {@code AtomicCounter.incrementOrdered}; readers on other threads use an acquire load.
 */
public final class NicCounterSet
{
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[NicCounters.count()];

    /** @param counter counter to add one to (caller must be its writer). */
    public void increment(final NicCounters counter)
    {
        add(counter, 1);
    }

    /**
     * @param counter counter to move (caller must be its writer).
     * @param delta amount to add.
     */
    public void add(final NicCounters counter, final long delta)
    {
        final int i = counter.id();
        VALUES.setRelease(values, i, values[i] + delta);
    }

    /**
     * @param counter counter.
     * @return its current value, read with acquire semantics.
     */
    public long get(final NicCounters counter)
    {
        return (long)VALUES.getAcquire(values, counter.id());
    }

    /** @return label to value, in id order, for reports and test diagnostics. */
    public Map<String, Long> snapshot()
    {
        final Map<String, Long> map = new LinkedHashMap<>();
        for (final NicCounters c : NicCounters.values())
        {
            map.put(c.label(), get(c));
        }
        return map;
    }

    @Override
    public String toString()
    {
        final java.util.StringJoiner nonZero = new java.util.StringJoiner(", ", "NicCounterSet{", "}");
        for (final NicCounters c : NicCounters.values())
        {
            final long v = get(c);
            if (v != 0)
            {
                nonZero.add(c.label() + '=' + v);
            }
        }
        return nonZero.toString();
    }
}
