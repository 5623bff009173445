package io.tlsnic.wire.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/**
 * A link without random faults: every frame arrives at latency + serialisation time, in sending order, as a copy the
 * receiver owns, and in the same place among other events due at the same time as if it were an event of its own.
 */
class InOrderLinkTest
{
    private static final long LATENCY_NS = 1_000;

    private final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    private final List<String> log = new ArrayList<>();
    private final Port a = new Port("a");
    private final Port b = new Port("b");

    /** Logs each frame with its first byte and the time it arrived. */
    private final class Port implements LinkPort
    {
        private final String name;
        final List<byte[]> frames = new ArrayList<>();

        Port(final String name)
        {
            this.name = name;
        }

        @Override
        public void attach(final Link link)
        {
        }

        @Override
        public void receiveFrame(final byte[] frame, final int length)
        {
            frames.add(frame);
            log.add(name + " got " + frame[0] + " at " + scheduler.nowNs());
        }
    }

    @Test
    void shouldTakeTheInOrderPathOnlyWithoutRandomFaults()
    {
        assertTrue(LinkFaults.none().inOrder());
        assertTrue(LinkFaults.none().withBursts(4).inOrder(), "bursts of a loss rate of 0 lose nothing");
        assertFalse(new LinkFaults(0.1, 0, 0, 0, 1).inOrder());
        assertFalse(new LinkFaults(0, 0.1, 0, 0, 1).inOrder());
        assertFalse(new LinkFaults(0, 0, 0.1, 1000, 1).inOrder());
        assertFalse(LinkFaults.none().withJitter(1).inOrder());
        assertFalse(LinkFaults.none().withCorruption(0.1, 0).inOrder());
        assertFalse(LinkFaults.none().withCorruption(0, 0.1).inOrder());
    }

    @Test
    void shouldDeliverEachFrameAfterLatencyAndSerialisationInSendingOrder()
    {
        final Link link = new Link(scheduler, a, b, LATENCY_NS, 8, LinkFaults.none());
        // 8 Gb/s: a 100-byte frame takes 100 ns on the wire. 30 of the first 50 arrive before the other 70 are sent.
        for (int i = 1; i <= 50; i++)
        {
            link.carry(a, frame(i, 100), 100);
        }
        for (int i = 0; i < 30; i++)
        {
            scheduler.advanceToNext();
        }
        for (int i = 51; i <= 100; i++)
        {
            link.carry(a, frame(i, 100), 100);
        }
        while (scheduler.advanceToNext())
        {
            // deliver everything
        }
        assertEquals(100, b.frames.size());
        for (int i = 1; i <= 100; i++)
        {
            assertEquals("b got " + i + " at " + (LATENCY_NS + 100L * i), log.get(i - 1));
        }
        assertEquals(100, link.framesCarried());
        assertEquals(0, link.framesDropped());
    }

    @Test
    void shouldKeepEachFramesPlaceAmongEventsDueAtTheSameTime()
    {
        final Link link = new Link(scheduler, a, b, LATENCY_NS, 8, LinkFaults.none());
        final long arrival = LATENCY_NS + 100;
        scheduler.schedule(arrival, () -> log.add("timer scheduled before the frame"));
        link.carry(a, frame(1, 100), 100);
        scheduler.schedule(arrival, () -> log.add("timer scheduled after the frame"));
        link.carry(b, frame(2, 100), 100);
        link.carry(a, frame(3, 100), 100);
        scheduler.schedule(arrival + 100, () -> log.add("timer scheduled after the third frame"));
        while (scheduler.advanceToNext())
        {
            // deliver everything
        }
        assertEquals(List.of("timer scheduled before the frame", "b got 1 at 1100", "timer scheduled after the frame",
            "a got 2 at 1100", "b got 3 at 1200", "timer scheduled after the third frame"), log);
    }

    @Test
    void shouldHandTheReceiverACopyAndStillApplyTheDropFilterAndTap()
    {
        final Link link = new Link(scheduler, a, b, LATENCY_NS, 100, LinkFaults.none());
        final List<Integer> tapped = new ArrayList<>();
        link.setTap((from, frame, length, timeNs) -> tapped.add((int)frame[0]));
        link.setDropFilter((from, frame, length) -> frame[0] == 2);
        final byte[] sent = frame(1, 64);
        link.carry(a, sent, 64);
        sent[0] = 9;
        link.carry(a, frame(2, 64), 64);
        link.carry(a, frame(3, 64), 64);
        while (scheduler.advanceToNext())
        {
            // deliver everything
        }
        assertEquals(List.of(1, 2, 3), tapped);
        assertEquals(2, b.frames.size());
        assertArrayEquals(frame(1, 64), b.frames.get(0), "the frame as it was when sent");
        assertEquals(3, b.frames.get(1)[0]);
        assertEquals(1, link.framesDropped());
    }

    @Test
    void shouldRefuseToRescheduleAPendingEventOrOneInThePast()
    {
        final EventScheduler.Event e = scheduler.scheduleAt(100, scheduler.reserveOrder(), () -> log.add("ran"));
        assertThrows(IllegalArgumentException.class, () -> scheduler.reschedule(e, 200, scheduler.reserveOrder()));
        scheduler.advanceToNext();
        assertThrows(IllegalArgumentException.class, () -> scheduler.reschedule(e, 50, scheduler.reserveOrder()));
        scheduler.reschedule(e, 300, scheduler.reserveOrder());
        scheduler.advanceToNext();
        assertEquals(List.of("ran", "ran"), log);
        assertEquals(300, scheduler.nowNs());
    }

    private static byte[] frame(final int first, final int length)
    {
        final byte[] frame = new byte[length];
        frame[0] = (byte)first;
        frame[length - 1] = (byte)(first * 7);
        return frame;
    }
}
