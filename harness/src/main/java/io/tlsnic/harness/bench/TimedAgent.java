package io.tlsnic.harness.bench;

import io.tlsnic.wire.sim.Agent;

/**
 * An {@link Agent} whose productive duty cycles are timed: the wall-clock nanoseconds of every {@code doWork()} that
 * did work are added up, idle polls are not (a NAPI driver that finds nothing is not polled again until the next
 * interrupt, so an emulator's busy polling is no cost of the host it models).
 */
final class TimedAgent implements Agent
{
    private final Agent agent;
    private long busyNs;

    /** @param agent the agent to time (a driver: host work). */
    TimedAgent(final Agent agent)
    {
        this.agent = agent;
    }

    @Override
    public int doWork()
    {
        final long start = System.nanoTime();
        final int work = agent.doWork();
        if (work > 0)
        {
            busyNs += System.nanoTime() - start;
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return agent.roleName();
    }

    /** @return nanoseconds spent in productive cycles since the last call, and starts counting again from zero. */
    long takeBusyNs()
    {
        final long ns = busyNs;
        busyNs = 0;
        return ns;
    }
}
