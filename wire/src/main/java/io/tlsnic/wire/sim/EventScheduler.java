package io.tlsnic.wire.sim;

import java.util.PriorityQueue;

/**
 * Discrete-event scheduler over a {@link VirtualClock}: timers (TCP RTO, wire delay, interrupt moderation) are
 * events at a virtual time; events due at the same time run in the order they were scheduled, so a run is
 * reproducible. {@link #runAgents} alternates between agents' {@code doWork()} and the next due event.
 */
public final class EventScheduler
{
    private final VirtualClock clock;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long nextOrder;

    /** A cancellable timer handle. */
    public static final class Event implements Comparable<Event>
    {
        private long dueNs;
        private long order;
        private final Runnable action;
        private boolean cancelled;
        private boolean queued;

        private Event(final long dueNs, final long order, final Runnable action)
        {
            this.dueNs = dueNs;
            this.order = order;
            this.action = action;
        }

        /** Cancels the event; a cancelled event never runs. */
        public void cancel()
        {
            cancelled = true;
        }

        /** @return whether {@link #cancel()} was called. */
        public boolean isCancelled()
        {
            return cancelled;
        }

        /** @return the virtual time at which the event is due. */
        public long dueNs()
        {
            return dueNs;
        }

        @Override
        public int compareTo(final Event o)
        {
            final int byTime = Long.compare(dueNs, o.dueNs);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }
    }

    /** @param clock the clock this scheduler moves. */
    public EventScheduler(final VirtualClock clock)
    {
        this.clock = clock;
    }

    /** @return the clock. */
    public VirtualClock clock()
    {
        return clock;
    }

    /** @return current virtual time. */
    public long nowNs()
    {
        return clock.nanoTime();
    }

    /**
     * @param delayNs delay from now, not negative.
     * @param action what to run.
     * @return a handle that can cancel the event.
     */
    public Event schedule(final long delayNs, final Runnable action)
    {
        if (delayNs < 0)
        {
            throw new IllegalArgumentException("negative delay " + delayNs + " ns");
        }
        final Event e = new Event(clock.nanoTime() + delayNs, nextOrder++, action);
        e.queued = true;
        queue.add(e);
        return e;
    }

    /**
     * Takes the place in the event order that an event scheduled now would take, for a component that keeps its own
     * in-order queue and hands the scheduler only its head (with {@link #scheduleAt}): each entry then runs exactly
     * where it would have run had it been scheduled on its own, and the scheduler's queue stays short.
     *
     * @return the order number among events due at the same time.
     */
    public long reserveOrder()
    {
        return nextOrder++;
    }

    /**
     * @param dueNs absolute virtual time, not before now.
     * @param order a number from {@link #reserveOrder()}, used once.
     * @param action what to run.
     * @return a handle that can cancel the event.
     */
    public Event scheduleAt(final long dueNs, final long order, final Runnable action)
    {
        final Event e = new Event(dueNs, order, action);
        reschedule(e, dueNs, order);
        return e;
    }

    /**
     * Puts an event from {@link #scheduleAt} that has run back in the queue, at a new time and order, so that a
     * component that schedules one event after another allocates nothing per event.
     *
     * @param event an event that is not pending (it has run or was cancelled and purged).
     * @param dueNs absolute virtual time, not before now.
     * @param order a number from {@link #reserveOrder()}, used once.
     */
    public void reschedule(final Event event, final long dueNs, final long order)
    {
        if (dueNs < clock.nanoTime() || event.queued)
        {
            throw new IllegalArgumentException("cannot schedule an event at " + dueNs + " ns at " + clock.nanoTime()
                + " ns: " + (event.queued ? "it is still pending" : "that is in the past"));
        }
        event.dueNs = dueNs;
        event.order = order;
        event.cancelled = false;
        event.queued = true;
        queue.add(event);
    }

    /** @return whether any event that is not cancelled is pending. */
    public boolean hasPending()
    {
        purgeCancelled();
        return !queue.isEmpty();
    }

    /**
     * Runs every event due at or before now.
     *
     * @return number of events run.
     */
    public int runDue()
    {
        int ran = 0;
        Event e;
        while ((e = queue.peek()) != null && e.dueNs <= clock.nanoTime())
        {
            queue.poll();
            e.queued = false;
            if (!e.cancelled)
            {
                e.action.run();
                ran++;
            }
        }
        return ran;
    }

    /**
     * Advances the clock to the next pending event and runs everything due then.
     *
     * @return false when nothing was pending.
     */
    public boolean advanceToNext()
    {
        purgeCancelled();
        final Event e = queue.peek();
        if (e == null)
        {
            return false;
        }
        if (e.dueNs > clock.nanoTime())
        {
            clock.advanceTo(e.dueNs);
        }
        runDue();
        return true;
    }

    /**
     * Drives agents and events until {@code done} says stop, no work and no event remain, or virtual time passes
     * {@code untilNs}: agents are polled until all are idle, then time jumps to the next event.
     *
     * @param agents agents to poll each cycle.
     * @param untilNs virtual deadline.
     * @param done condition checked every cycle.
     * @return true when {@code done} became true.
     */
    public boolean runAgents(final Agent[] agents, final long untilNs, final java.util.function.BooleanSupplier done)
    {
        while (true)
        {
            if (done.getAsBoolean())
            {
                return true;
            }
            int work = runDue();
            for (final Agent a : agents)
            {
                work += a.doWork();
            }
            if (work == 0)
            {
                purgeCancelled();
                final Event e = queue.peek();
                if (e == null || e.dueNs > untilNs)
                {
                    return done.getAsBoolean();
                }
                clock.advanceTo(Math.max(clock.nanoTime(), e.dueNs));
            }
        }
    }

    private void purgeCancelled()
    {
        Event e;
        while ((e = queue.peek()) != null && e.cancelled)
        {
            queue.poll();
            e.queued = false;
        }
    }
}
