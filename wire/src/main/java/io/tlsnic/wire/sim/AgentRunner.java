package io.tlsnic.wire.sim;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threaded mode: runs a group of agents and the timers of their own {@link EventScheduler} on one thread, in the
 * manner of Agrona's {@code AgentRunner}. Each group has its own scheduler, so no timer is ever touched by two
 * threads; all groups read one shared {@link NanoClock} (the wall clock). Each duty cycle reads that clock once,
 * moves the scheduler's virtual clock up to it (never back), runs the events now due, then calls every agent's
 * {@code doWork()}. A cycle that did no work spins briefly, then yields the core: the machines this runs on are
 * shared, and a yielding thread never sleeps past a due timer.
 *
 * <p>The runner stops when the shared stop flag is set (by whoever decides the run is over), after
 * {@code cycleLimit} duty cycles, or when an agent or event throws. The last two are failures: the runner keeps
 * the first one and sets the stop flag, so the other groups stop too and the caller joins every thread.
 */
public final class AgentRunner implements Runnable
{
    /** Idle cycles spent spinning before the runner starts yielding the core. */
    private static final int SPINS_BEFORE_YIELD = 1024;

    private final String name;
    private final EventScheduler scheduler;
    private final NanoClock time;
    private final Agent[] agents;
    private final AtomicBoolean stop;
    private final long cycleLimit;
    private volatile long cycles;
    private volatile long busyNs;
    private volatile Throwable failure;

    /**
     * @param name the group's name, for the thread and for failures ("host", "device").
     * @param scheduler the group's own scheduler; its clock follows {@code time}.
     * @param time the clock every group reads.
     * @param agents the group's agents, polled in this order each cycle.
     * @param stop the flag shared by every group of a run.
     * @param cycleLimit most duty cycles before the run is declared stuck.
     */
    public AgentRunner(final String name, final EventScheduler scheduler, final NanoClock time, final Agent[] agents,
        final AtomicBoolean stop, final long cycleLimit)
    {
        if (cycleLimit < 1)
        {
            throw new IllegalArgumentException("cycle limit must be positive, got " + cycleLimit);
        }
        this.name = name;
        this.scheduler = scheduler;
        this.time = time;
        this.agents = agents.clone();
        this.stop = stop;
        this.cycleLimit = cycleLimit;
    }

    /** @return the group's name. */
    public String name()
    {
        return name;
    }

    @Override
    public void run()
    {
        final VirtualClock clock = scheduler.clock();
        long cycle = 0;
        int idle = 0;
        long busy = 0;
        long workStart = -1;
        try
        {
            while (!stop.get())
            {
                if (cycle == cycleLimit)
                {
                    fail(new IllegalStateException(name + " ran " + cycleLimit + " duty cycles without finishing"));
                    break;
                }
                cycle++;
                final long now = time.nanoTime();
                if (workStart >= 0)
                {
                    busy += now - workStart; // the previous cycle did work: it ran from its start to this one's
                }
                if (now > clock.nanoTime())
                {
                    clock.advanceTo(now);
                }
                // Agents before timers: what arrived while this thread was off its core (an ACK waiting in a
                // completion queue) is handled before a timer that expired meanwhile (the RTO it would have stopped).
                int work = 0;
                for (final Agent a : agents)
                {
                    work += a.doWork();
                }
                work += scheduler.runDue();
                if (work > 0)
                {
                    idle = 0;
                    workStart = now;
                }
                else
                {
                    workStart = -1;
                    if (++idle < SPINS_BEFORE_YIELD)
                    {
                        Thread.onSpinWait();
                    }
                    else
                    {
                        Thread.yield();
                    }
                }
            }
        }
        catch (final RuntimeException | Error e)
        {
            fail(e);
        }
        finally
        {
            if (workStart >= 0)
            {
                busy += time.nanoTime() - workStart;
            }
            cycles = cycle;
            busyNs = busy;
        }
    }

    private void fail(final Throwable t)
    {
        failure = t;
        stop.set(true);
    }

    /** @return duty cycles run (final once the thread has been joined). */
    public long cycles()
    {
        return cycles;
    }

    /**
     * @return wall-clock nanoseconds of the duty cycles that did work (final once the thread has been joined): the
     *     thread's load, against the run's length; idle cycles (spinning, yielding) are not counted.
     */
    public long busyNs()
    {
        return busyNs;
    }

    /** @return what stopped the runner abnormally (an agent's exception, the cycle limit), or {@code null}. */
    public Throwable failure()
    {
        return failure;
    }
}
