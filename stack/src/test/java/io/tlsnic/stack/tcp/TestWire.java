package io.tlsnic.stack.tcp;

import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Test helper: an emulated wire between two {@link TcpConnection}s on one {@link EventScheduler}. Each direction
 * is a {@link Link} with a one-way delay, an optional serialisation rate, seeded random faults (loss, bursty loss
 * as a two-state Gilbert-Elliott chain, reordering by extra delay, duplication), a targeted drop filter, an
 * optional "device" stage that rewrites a segment into frames (TSO split, receive marks), and a log of what it
 * carried. Same seed, same run.
 */
final class TestWire
{
    static final long MS = 1_000_000L;

    final VirtualClock clock = new VirtualClock();
    final EventScheduler scheduler = new EventScheduler(clock);
    final Link aToB;
    final Link bToA;

    TestWire(final long seed)
    {
        final SplittableRandom root = new SplittableRandom(seed);
        aToB = new Link("a>b", root.split());
        bToA = new Link("b>a", root.split());
    }

    /** Both directions get the same fault settings. */
    TestWire each(final java.util.function.Consumer<Link> setting)
    {
        setting.accept(aToB);
        setting.accept(bToA);
        return this;
    }

    void attach(final TcpConnection a, final TcpConnection b)
    {
        aToB.receiver = b;
        bToA.receiver = a;
    }

    long nowNs()
    {
        return clock.nanoTime();
    }

    /**
     * Runs events until {@code done}, no event is left, or virtual time passes {@code limitNs}.
     *
     * @return whether {@code done} became true.
     */
    boolean runUntil(final BooleanSupplier done, final long limitNs)
    {
        while (!done.getAsBoolean())
        {
            if (!scheduler.hasPending() || nowNs() > limitNs)
            {
                return done.getAsBoolean();
            }
            scheduler.advanceToNext();
        }
        return true;
    }

    /** Runs every event due within {@code durationNs} from now; the clock ends exactly there. */
    void runFor(final long durationNs)
    {
        final boolean[] reached = {false};
        scheduler.schedule(durationNs, () -> reached[0] = true);
        while (!reached[0])
        {
            scheduler.advanceToNext();
        }
    }

    /** The test device's TSO: cut at tsoMss, FIN and PSH only on the last frame. */
    static List<TcpSegment> splitTso(final TcpSegment s)
    {
        if (s.tsoMss() == 0)
        {
            return List.of(s);
        }
        final List<TcpSegment> out = new ArrayList<>();
        for (int off = 0; off < s.payloadLength(); off += s.tsoMss())
        {
            final int len = Math.min(s.tsoMss(), s.payloadLength() - off);
            final boolean last = off + len == s.payloadLength();
            final int flags = last ? s.flags() : s.flags() & ~(TcpSegment.FIN | TcpSegment.PSH);
            out.add(s.toBuilder().seq(s.seq() + off).flags(flags).tsoMss(0)
                .payload(s.payload(), s.payloadOffset() + off, len).build());
        }
        return out;
    }

    /** What a link did with one segment the sender handed it. */
    record Carried(long timeNs, TcpSegment segment, boolean dropped)
    {
    }

    /** One direction of the wire. */
    final class Link implements SegmentSink
    {
        final String name;
        private final SplittableRandom random;
        TcpConnection receiver;
        long delayNs = MS;
        long bitsPerSecond;
        double lossRate;
        double burstEnterRate;
        double burstExitRate = 1.0;
        double burstLossRate;
        double reorderRate;
        long reorderDelayNs;
        double duplicateRate;
        Predicate<TcpSegment> dropFilter = s -> false;
        Function<TcpSegment, List<TcpSegment>> device = List::of;
        final List<Carried> log = new ArrayList<>();
        boolean logging;
        private boolean inBurst;
        private long linkFreeAtNs;

        Link(final String name, final SplittableRandom random)
        {
            this.name = name;
            this.random = random;
        }

        @Override
        public void send(final TcpSegment segment)
        {
            for (final TcpSegment frame : device.apply(segment))
            {
                carry(frame);
            }
        }

        private void carry(final TcpSegment frame)
        {
            final boolean drop = dropFilter.test(frame) || randomLoss();
            if (logging)
            {
                log.add(new Carried(nowNs(), frame, drop));
            }
            if (drop)
            {
                return;
            }
            long departNs = nowNs();
            if (bitsPerSecond > 0)
            {
                departNs = Math.max(departNs, linkFreeAtNs) + (frame.payloadLength() + 52) * 8L * 1_000_000_000L /
                    bitsPerSecond;
                linkFreeAtNs = departNs;
            }
            long arriveNs = departNs + delayNs;
            if (reorderRate > 0 && random.nextDouble() < reorderRate)
            {
                arriveNs += 1 + random.nextLong(reorderDelayNs);
            }
            deliverAt(arriveNs, frame);
            if (duplicateRate > 0 && random.nextDouble() < duplicateRate)
            {
                deliverAt(arriveNs + 1 + random.nextLong(MS), frame);
            }
        }

        private boolean randomLoss()
        {
            if (burstEnterRate > 0)
            {
                inBurst = inBurst ? random.nextDouble() >= burstExitRate : random.nextDouble() < burstEnterRate;
                if (inBurst && random.nextDouble() < burstLossRate)
                {
                    return true;
                }
            }
            return lossRate > 0 && random.nextDouble() < lossRate;
        }

        private void deliverAt(final long timeNs, final TcpSegment frame)
        {
            final TcpConnection to = receiver;
            scheduler.schedule(timeNs - nowNs(), () -> to.onSegment(frame));
        }
    }
}
