package io.tlsnic.stack.tcp;

import io.tlsnic.wire.sim.EventScheduler;

/**
 * One restartable timer of a connection (retransmission, delayed ACK, persist, TIME_WAIT) on the virtual clock.
 * Re-arming for a later deadline leaves the scheduled event in place and moves only the deadline, which the event
 * checks when it runs; this keeps the scheduler's queue small when the RTO is restarted on every ACK.
 */
final class TcpTimer
{
    private final EventScheduler scheduler;
    private final Runnable onExpiry;
    private EventScheduler.Event event;
    private long deadlineNs;
    private boolean armed;

    TcpTimer(final EventScheduler scheduler, final Runnable onExpiry)
    {
        this.scheduler = scheduler;
        this.onExpiry = onExpiry;
    }

    /** Arms (or re-arms) the timer to expire {@code delayNs} from now. */
    void arm(final long delayNs)
    {
        deadlineNs = scheduler.nowNs() + delayNs;
        armed = true;
        if (event != null && !event.isCancelled() && event.dueNs() <= deadlineNs)
        {
            return;
        }
        if (event != null)
        {
            event.cancel();
        }
        schedule(delayNs);
    }

    void cancel()
    {
        armed = false;
    }

    boolean isArmed()
    {
        return armed;
    }

    /** @return when the timer expires; meaningful only while armed. */
    long deadlineNs()
    {
        return deadlineNs;
    }

    private void schedule(final long delayNs)
    {
        event = scheduler.schedule(delayNs, this::onEvent);
    }

    private void onEvent()
    {
        event = null;
        if (!armed)
        {
            return;
        }
        final long now = scheduler.nowNs();
        if (now < deadlineNs)
        {
            schedule(deadlineNs - now);
            return;
        }
        armed = false;
        onExpiry.run();
    }
}
