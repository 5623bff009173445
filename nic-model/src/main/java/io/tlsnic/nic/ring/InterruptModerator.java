package io.tlsnic.nic.ring;

import java.util.Objects;
import java.util.function.IntConsumer;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.sim.EventScheduler;

/**
 * Interrupt moderation of one completion queue, the model of igb EITR / mlx5 CQ moderation: an interrupt fires when
 * {@code packetThreshold} completions have accumulated since the last interrupt, or {@code timerNs} after the first
 * completion that has not been signalled yet, whichever comes first. {@code timerNs == 0} disables moderation
 * (every completion batch interrupts at once, like {@code ethtool -C rx-usecs 0}); a threshold of 0 or 1 also
 * interrupts on every batch. The timer runs on the virtual clock of an {@link EventScheduler}.
 * <p>
 * Written by the device agent ({@link #onCompletions}) and by the register file's ITR handlers
 * ({@link #setTimerNs}, {@link #setPacketThreshold}); a new setting applies from the next completion.
 */
public final class InterruptModerator
{
    private final int queueId;
    private final EventScheduler scheduler;
    private IntConsumer interrupt;
    private final NicCounterSet counters;
    private final Runnable onTimer = this::onTimer;

    private long timerNs;
    private int packetThreshold = 1;
    private int pending;
    private EventScheduler.Event timer;

    /**
     * @param queueId the completion queue, passed to the interrupt callback.
     * @param scheduler virtual-time scheduler for the timer.
     * @param interrupt called with {@code queueId} when the interrupt fires.
     * @param counters where interrupts are counted.
     */
    public InterruptModerator(
        final int queueId, final EventScheduler scheduler, final IntConsumer interrupt, final NicCounterSet counters)
    {
        this.queueId = queueId;
        this.scheduler = scheduler;
        this.interrupt = interrupt;
        this.counters = counters;
    }

    /**
     * Connects the interrupt to another handler (the driver's, when it registers one). Call it before the device's
     * thread starts: the field is read by that thread without synchronisation.
     *
     * @param interrupt called with the queue id when the interrupt fires.
     */
    public void setInterrupt(final IntConsumer interrupt)
    {
        this.interrupt = Objects.requireNonNull(interrupt, "interrupt");
    }

    /** @param timerNs longest delay from the first unsignalled completion to its interrupt; 0 = no moderation. */
    public void setTimerNs(final long timerNs)
    {
        if (timerNs < 0)
        {
            throw new IllegalArgumentException("moderation timer " + timerNs + " ns is negative");
        }
        this.timerNs = timerNs;
    }

    /** @param packetThreshold completions that trigger an interrupt at once; 0 or 1 = every batch. */
    public void setPacketThreshold(final int packetThreshold)
    {
        if (packetThreshold < 0)
        {
            throw new IllegalArgumentException("moderation threshold " + packetThreshold + " is negative");
        }
        this.packetThreshold = packetThreshold;
    }

    /**
     * Called by the device after publishing completions.
     *
     * @param count completions just published.
     */
    public void onCompletions(final int count)
    {
        if (count <= 0)
        {
            return;
        }
        pending += count;
        if (timerNs == 0 || pending >= Math.max(1, packetThreshold))
        {
            fire();
        }
        else if (timer == null)
        {
            timer = scheduler.schedule(timerNs, onTimer);
        }
    }

    /** @return completions published but not yet signalled. */
    public int pending()
    {
        return pending;
    }

    /** @return the timer setting in ns. */
    public long timerNs()
    {
        return timerNs;
    }

    /** @return the packet threshold. */
    public int packetThreshold()
    {
        return packetThreshold;
    }

    private void onTimer()
    {
        timer = null;
        if (pending > 0)
        {
            fire();
        }
    }

    private void fire()
    {
        if (timer != null)
        {
            timer.cancel();
            timer = null;
        }
        pending = 0;
        counters.increment(NicCounters.INTERRUPTS);
        interrupt.accept(queueId);
    }
}
