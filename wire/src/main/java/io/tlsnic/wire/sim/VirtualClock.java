package io.tlsnic.wire.sim;

/**
 * A nanosecond clock that only moves when told to. Deterministic runs and tests read time from here, never from
 * the wall clock.
 */
public final class VirtualClock implements NanoClock
{
    private long nowNs;

    /** @param startNs initial time. */
    public VirtualClock(final long startNs)
    {
        this.nowNs = startNs;
    }

    public VirtualClock()
    {
        this(0);
    }

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    /**
     * Moves time forward.
     *
     * @param toNs new time; must not be before the current time.
     */
    public void advanceTo(final long toNs)
    {
        if (toNs < nowNs)
        {
            throw new IllegalArgumentException("time cannot go back: now " + nowNs + " ns, asked " + toNs + " ns");
        }
        nowNs = toNs;
    }

    /** @param deltaNs nanoseconds to add, not negative. */
    public void advanceBy(final long deltaNs)
    {
        advanceTo(nowNs + deltaNs);
    }
}
