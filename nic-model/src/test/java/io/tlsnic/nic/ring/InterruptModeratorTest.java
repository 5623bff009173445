package io.tlsnic.nic.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/** Interrupt moderation on the virtual clock: packet threshold, timer from the first unsignalled completion. */
class InterruptModeratorTest
{
    private final VirtualClock clock = new VirtualClock(1_000);
    private final EventScheduler scheduler = new EventScheduler(clock);
    private final NicCounterSet counters = new NicCounterSet();
    private final List<Long> interruptsAtNs = new ArrayList<>();
    private final InterruptModerator moderator =
        new InterruptModerator(5, scheduler, q -> interruptsAtNs.add(clock.nanoTime() + 1_000_000L * q), counters);

    @Test
    void shouldInterruptOnEveryBatchWithoutModeration()
    {
        moderator.onCompletions(1);
        moderator.onCompletions(3);
        assertEquals(List.of(5_001_000L, 5_001_000L), interruptsAtNs, "queue id 5 passed to the callback");
        assertFalse(scheduler.hasPending());
    }

    @Test
    void shouldInterruptWhenThresholdReachedBeforeTimer()
    {
        moderator.setTimerNs(10_000);
        moderator.setPacketThreshold(4);
        moderator.onCompletions(1);
        clock.advanceBy(2_000);
        scheduler.runDue();
        moderator.onCompletions(2);
        assertEquals(List.of(), interruptsAtNs);
        assertEquals(3, moderator.pending());
        clock.advanceBy(1_000);
        moderator.onCompletions(1);
        assertEquals(1, interruptsAtNs.size());
        assertEquals(0, moderator.pending());
        assertFalse(scheduler.hasPending(), "the timer was cancelled");
    }

    @Test
    void shouldInterruptWhenTimerExpiresFromFirstUnsignalledCompletion()
    {
        moderator.setTimerNs(10_000);
        moderator.setPacketThreshold(64);
        moderator.onCompletions(1);
        clock.advanceBy(9_000);
        moderator.onCompletions(5);
        scheduler.runDue();
        assertEquals(List.of(), interruptsAtNs);
        scheduler.advanceToNext();
        assertEquals(11_000, clock.nanoTime(), "10 us after the first completion, not after the last");
        assertEquals(1, interruptsAtNs.size());
        assertEquals(0, moderator.pending());

        // A new window starts with the next completion.
        clock.advanceBy(50_000);
        moderator.onCompletions(1);
        scheduler.advanceToNext();
        assertEquals(71_000, clock.nanoTime());
        assertEquals(2, interruptsAtNs.size());
        assertEquals(2, counters.get(NicCounters.INTERRUPTS));
    }

    @Test
    void shouldApplyNewSettingsFromNextCompletion()
    {
        moderator.setTimerNs(100_000);
        moderator.setPacketThreshold(8);
        moderator.onCompletions(7);
        moderator.setPacketThreshold(1);
        moderator.onCompletions(1);
        assertEquals(1, interruptsAtNs.size());
        moderator.setTimerNs(0);
        moderator.setPacketThreshold(8);
        moderator.onCompletions(1);
        assertEquals(2, interruptsAtNs.size(), "timer 0 means no moderation");
        assertFalse(scheduler.hasPending());
    }
}
