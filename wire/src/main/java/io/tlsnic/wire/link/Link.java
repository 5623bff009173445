package io.tlsnic.wire.link;

import java.util.SplittableRandom;

import io.tlsnic.wire.sim.EventScheduler;

/**
 * A point-to-point cable between two {@link LinkPort}s (a NIC's port, a software device) on the virtual clock: each frame arrives after the
 * latency plus its serialisation time at the configured rate, in order unless {@link LinkFaults} reorder it.
 * Faults are drawn per direction from their own seeded stream, so a run is reproducible. Without random faults
 * ({@link LinkFaults#inOrder()}) frames take an in-order path that draws nothing and keeps one event per direction
 * in the scheduler, with the same delivery times and order.
 */
public final class Link
{
    private final EventScheduler scheduler;
    private final LinkPort a;
    private final LinkPort b;
    private final long latencyNs;
    private final double bitsPerNs;
    private final LinkFaults faults;
    private final SplittableRandom randomAtoB;
    private final SplittableRandom randomBtoA;
    private final boolean inOrder;
    private final InFlightFrames inFlightAtoB;
    private final InFlightFrames inFlightBtoA;
    private long busyUntilAtoB;
    private long busyUntilBtoA;
    private long framesCarried;
    private long framesDropped;
    private long framesDuplicated;
    private long framesReordered;
    private long framesCorrupted;
    private boolean burstAtoB;
    private boolean burstBtoA;
    private FrameTap tap;
    private DropFilter dropFilter;

    /** Targeted faults: decides to drop particular frames ("the segment carrying the next record header"). */
    @FunctionalInterface
    public interface DropFilter
    {
        /**
         * @param from the sending port.
         * @param frame frame bytes (do not modify; valid during the call only: the link delivers this array).
         * @param length frame length.
         * @return true to drop this frame.
         */
        boolean drop(LinkPort from, byte[] frame, int length);
    }

    /** Sees every frame put on the link, before faults apply (what a capture at the sender would show). */
    @FunctionalInterface
    public interface FrameTap
    {
        /**
         * @param from the sending port.
         * @param frame frame bytes (do not modify; valid during the call only: the link may corrupt and then delivers
         *     this array).
         * @param length frame length.
         * @param timeNs virtual time the frame was sent.
         */
        void onFrame(LinkPort from, byte[] frame, int length, long timeNs);
    }

    /**
     * @param scheduler the scheduler.
     * @param a one end.
     * @param b the other end.
     * @param latencyNs one-way propagation delay.
     * @param gigabitsPerSecond line rate (serialisation delay), e.g. 100.
     * @param faults faults to inject.
     */
    public Link(final EventScheduler scheduler, final LinkPort a, final LinkPort b,
        final long latencyNs, final double gigabitsPerSecond, final LinkFaults faults)
    {
        this.scheduler = scheduler;
        this.a = a;
        this.b = b;
        this.latencyNs = latencyNs;
        this.bitsPerNs = gigabitsPerSecond;
        this.faults = faults;
        this.randomAtoB = faults.newRandom();
        this.randomBtoA = new SplittableRandom(faults.seed() ^ 0x5DEECE66DL);
        this.inOrder = faults.inOrder();
        this.inFlightAtoB = new InFlightFrames(scheduler, b);
        this.inFlightBtoA = new InFlightFrames(scheduler, a);
        a.attach(this);
        b.attach(this);
    }

    /**
     * Puts a frame on the cable.
     *
     * @param from the sending end.
     * @param frame frame bytes (copied).
     * @param length frame length.
     */
    public void carry(final LinkPort from, final byte[] frame, final int length)
    {
        carry(from, frame, 0, length);
    }

    /**
     * Puts a frame on the cable: the link copies it once, and the tap, the drop filter, the faults and the far end all
     * see that copy.
     *
     * @param from the sending end.
     * @param buffer holds the frame (copied; the sender may reuse it once this returns).
     * @param offset where the frame starts in {@code buffer}.
     * @param length frame length.
     */
    public void carry(final LinkPort from, final byte[] buffer, final int offset, final int length)
    {
        final boolean forward = from == a;
        final long now = scheduler.nowNs();
        final long start = Math.max(now, forward ? busyUntilAtoB : busyUntilBtoA);
        final long done = start + (long)Math.ceil(length * 8 / bitsPerNs);
        if (forward)
        {
            busyUntilAtoB = done;
        }
        else
        {
            busyUntilBtoA = done;
        }
        framesCarried++;
        final byte[] frame = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        if (tap != null)
        {
            tap.onFrame(from, frame, length, now);
        }
        if (dropFilter != null && dropFilter.drop(from, frame, length))
        {
            framesDropped++;
            return;
        }
        if (inOrder)
        {
            // No random fault can touch the frame: no draws, one scheduler event per direction at a time.
            (forward ? inFlightAtoB : inFlightBtoA).add(frame, length, done + latencyNs);
            return;
        }
        carryWithFaults(forward, frame, length, now, done);
    }

    /**
     * The random faults' path of {@link #carry}, apart so that the in-order path stays small enough to be inlined
     * into the sender's per-frame loop.
     *
     * @param frame the link's own copy of the frame, exactly {@code length} bytes.
     */
    private void carryWithFaults(final boolean forward, final byte[] frame, final int length, final long now,
        final long done)
    {
        final LinkPort to = forward ? b : a;
        final SplittableRandom random = forward ? randomAtoB : randomBtoA;
        if (lost(forward, random))
        {
            framesDropped++;
            return;
        }
        long arrival = done + latencyNs - now;
        if (faults.jitterNs() > 0)
        {
            arrival += random.nextLong(faults.jitterNs() + 1);
        }
        if (random.nextDouble() * 100 < faults.reorderPercent())
        {
            arrival += faults.reorderDelayNs();
            framesReordered++;
        }
        corrupt(frame, random);
        scheduler.schedule(arrival, () -> to.receiveFrame(frame, length));
        if (random.nextDouble() * 100 < faults.duplicatePercent())
        {
            framesDuplicated++;
            final byte[] twin = frame.clone();
            scheduler.schedule(arrival + 1, () -> to.receiveFrame(twin, length));
        }
    }

    /** Loss, independent or in bursts (Gilbert-style: a lost frame makes the next loss likelier). */
    private boolean lost(final boolean forward, final SplittableRandom random)
    {
        final boolean inBurst = forward ? burstAtoB : burstBtoA;
        final boolean lose = inBurst
            ? random.nextDouble() < 1 - 1 / faults.burstLength()
            : random.nextDouble() * 100 < faults.lossPercent();
        if (forward)
        {
            burstAtoB = lose && faults.burstLength() > 1;
        }
        else
        {
            burstBtoA = lose && faults.burstLength() > 1;
        }
        return lose;
    }

    private void corrupt(final byte[] frame, final SplittableRandom random)
    {
        if (faults.corruptPercent() > 0 && random.nextDouble() * 100 < faults.corruptPercent())
        {
            frame[random.nextInt(frame.length)] ^= (byte)(1 << random.nextInt(8));
            framesCorrupted++;
        }
        if (faults.stealthCorruptPercent() > 0 && frame.length > 200
            && random.nextDouble() * 100 < faults.stealthCorruptPercent())
        {
            // Swapping two aligned 16-bit words keeps the one's-complement sum: no checksum sees it.
            final int a = frame.length - 2 - 2 * random.nextInt(40);
            final int b = frame.length - 2 - 2 * random.nextInt(40);
            if (frame[a] != frame[b] || frame[a + 1] != frame[b + 1])
            {
                final byte x = frame[a];
                final byte y = frame[a + 1];
                frame[a] = frame[b];
                frame[a + 1] = frame[b + 1];
                frame[b] = x;
                frame[b + 1] = y;
                framesCorrupted++;
            }
        }
    }

    /** @param filter drops the frames it picks, before the random faults apply (null: none). */
    public void setDropFilter(final DropFilter filter)
    {
        this.dropFilter = filter;
    }

    /** @param frameTap sees every frame sent on the link (null: none). */
    public void setTap(final FrameTap frameTap)
    {
        this.tap = frameTap;
    }

    /** @return frames put on the wire (both directions). */
    public long framesCarried()
    {
        return framesCarried;
    }

    /** @return frames lost. */
    public long framesDropped()
    {
        return framesDropped;
    }

    /** @return frames delivered twice. */
    public long framesDuplicated()
    {
        return framesDuplicated;
    }

    /** @return frames corrupted. */
    public long framesCorrupted()
    {
        return framesCorrupted;
    }

    /** @return frames held back. */
    public long framesReordered()
    {
        return framesReordered;
    }
}
