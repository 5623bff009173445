package io.tlsnic.wire.link;

import io.tlsnic.wire.sim.EventScheduler;

/**
 * The frames on their way in one direction of a link without random faults, in arrival order (which is sending
 * order: each frame arrives after the one before it). Only the head is an event in the scheduler; each frame keeps
 * the place in the event order it took when it was sent ({@link EventScheduler#reserveOrder()}), so frames are
 * delivered exactly when, and in exactly the order among other events, as if each were an event of its own.
 */
final class InFlightFrames implements Runnable
{
    private static final int INITIAL_CAPACITY = 64;

    private final EventScheduler scheduler;
    private final LinkPort to;
    private byte[][] frames = new byte[INITIAL_CAPACITY][];
    private int[] lengths = new int[INITIAL_CAPACITY];
    private long[] arrivalNs = new long[INITIAL_CAPACITY];
    private long[] orders = new long[INITIAL_CAPACITY];
    private int head;
    private int count;
    private EventScheduler.Event event;

    /**
     * @param scheduler the scheduler.
     * @param to the receiving port.
     */
    InFlightFrames(final EventScheduler scheduler, final LinkPort to)
    {
        this.scheduler = scheduler;
        this.to = to;
    }

    /**
     * @param frame the frame, owned by the receiver from now on.
     * @param length frame length.
     * @param atNs absolute arrival time, not before the previous frame's.
     */
    void add(final byte[] frame, final int length, final long atNs)
    {
        final long order = scheduler.reserveOrder();
        if (count == frames.length)
        {
            grow();
        }
        final int i = (head + count) & (frames.length - 1);
        frames[i] = frame;
        lengths[i] = length;
        arrivalNs[i] = atNs;
        orders[i] = order;
        if (++count == 1)
        {
            schedule(atNs, order);
        }
    }

    /** Delivers the head frame; the next one, if any, becomes the scheduler's event first. */
    @Override
    public void run()
    {
        final byte[] frame = frames[head];
        final int length = lengths[head];
        frames[head] = null;
        head = (head + 1) & (frames.length - 1);
        if (--count > 0)
        {
            schedule(arrivalNs[head], orders[head]);
        }
        to.receiveFrame(frame, length);
    }

    /** The head's event: one event object, put back in the queue for each frame. */
    private void schedule(final long arrivalNs, final long order)
    {
        // On the virtual clock a frame's arrival is never in the past here; on a clock that follows the wall clock
        // (threaded mode) the next frame may be due already when the one before it is delivered: deliver it now.
        final long atNs = Math.max(arrivalNs, scheduler.nowNs());
        if (event == null)
        {
            event = scheduler.scheduleAt(atNs, order, this);
        }
        else
        {
            scheduler.reschedule(event, atNs, order);
        }
    }

    private void grow()
    {
        final int capacity = frames.length * 2;
        final byte[][] f = new byte[capacity][];
        final int[] l = new int[capacity];
        final long[] a = new long[capacity];
        final long[] o = new long[capacity];
        for (int k = 0; k < count; k++)
        {
            final int i = (head + k) & (frames.length - 1);
            f[k] = frames[i];
            l[k] = lengths[i];
            a[k] = arrivalNs[i];
            o[k] = orders[i];
        }
        frames = f;
        lengths = l;
        arrivalNs = a;
        orders = o;
        head = 0;
    }
}
