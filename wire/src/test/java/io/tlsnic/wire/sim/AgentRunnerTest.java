package io.tlsnic.wire.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * The threaded-mode runner, driven on the test's own thread with a clock that moves 1 us per read: its scheduler
 * follows the shared clock, timers fire when it passes them, and a stuck or failing group stops every group.
 */
class AgentRunnerTest
{
    /** A shared clock that moves one microsecond each time it is read. */
    private static final class SteppingClock implements NanoClock
    {
        private long nowNs;

        @Override
        public long nanoTime()
        {
            nowNs += 1_000;
            return nowNs;
        }
    }

    /** An agent that counts its polls and never has work. */
    private static final class IdleAgent implements Agent
    {
        private int polls;

        @Override
        public int doWork()
        {
            polls++;
            return 0;
        }

        @Override
        public String roleName()
        {
            return "idle";
        }
    }

    @Test
    void shouldRunATimerOnceTheSharedClockPassesItAndStopWhenTold()
    {
        final EventScheduler scheduler = new EventScheduler(new VirtualClock());
        final AtomicBoolean stop = new AtomicBoolean();
        final long[] firedAtNs = {-1};
        scheduler.schedule(50_000, () ->
        {
            firedAtNs[0] = scheduler.nowNs();
            stop.set(true);
        });
        final IdleAgent agent = new IdleAgent();
        final AgentRunner runner = new AgentRunner("side", scheduler, new SteppingClock(), new Agent[] {agent}, stop,
            1_000);
        runner.run();
        assertNull(runner.failure());
        assertEquals(50_000, firedAtNs[0], "the timer ran on the cycle the clock reached it");
        assertEquals(50, runner.cycles());
        assertEquals(50, agent.polls);
    }

    @Test
    void shouldCountAsBusyOnlyTheCyclesThatDidWork()
    {
        final EventScheduler scheduler = new EventScheduler(new VirtualClock());
        final AtomicBoolean stop = new AtomicBoolean();
        scheduler.schedule(10_000, () -> stop.set(true)); // a timer is work too: the cycle at 10 us counts
        final Agent busyThrice = new Agent()
        {
            private int polls;

            @Override
            public int doWork()
            {
                return ++polls <= 3 ? 1 : 0;
            }

            @Override
            public String roleName()
            {
                return "busy thrice";
            }
        };
        final AgentRunner runner = new AgentRunner("host", scheduler, new SteppingClock(), new Agent[] {busyThrice},
            stop, 1_000);
        runner.run();
        assertNull(runner.failure());
        assertEquals(10, runner.cycles());
        assertEquals(4_000, runner.busyNs(), "cycles 1, 2, 3 and 10 each ran 1 us; the six idle ones did not count");
    }

    @Test
    void shouldFailAndStopEveryGroupAfterTheCycleLimit()
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final AgentRunner runner = new AgentRunner("device", new EventScheduler(new VirtualClock()),
            new SteppingClock(), new Agent[] {new IdleAgent()}, stop, 10);
        runner.run();
        assertEquals(10, runner.cycles());
        assertTrue(stop.get(), "the other groups are told to stop");
        assertTrue(runner.failure().getMessage().contains("device ran 10 duty cycles"), runner.failure().toString());
    }

    @Test
    void shouldKeepAnAgentsExceptionAndStopEveryGroup()
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final IllegalStateException boom = new IllegalStateException("wrong byte");
        final Agent failing = new Agent()
        {
            @Override
            public int doWork()
            {
                throw boom;
            }

            @Override
            public String roleName()
            {
                return "failing";
            }
        };
        final AgentRunner runner = new AgentRunner("host", new EventScheduler(new VirtualClock()),
            new SteppingClock(), new Agent[] {failing}, stop, 10);
        runner.run();
        assertSame(boom, runner.failure());
        assertTrue(stop.get());
        assertEquals(1, runner.cycles());
    }
}
