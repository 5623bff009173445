package io.tlsnic.nic.ring;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A producer or consumer index shared between the host and the device: a tail doorbell, a head register, a
 * completion-queue consumer index. {@link #get()} has acquire semantics and {@link #set(long)} release semantics,
 * so everything written before a {@code set} is visible to whoever {@code get}s the new value on another thread.
 */
public interface RingIndex
{
    /** @return the index, read with acquire semantics. */
    long get();

    /** @param value new index, published with release (ordered) semantics. */
    void set(long value);

    /** @return a stand-alone index cell starting at 0 (for rings used without a register file). */
    static RingIndex cell()
    {
        final AtomicLong cell = new AtomicLong();
        return new RingIndex()
        {
            @Override
            public long get()
            {
                return cell.getAcquire();
            }

            @Override
            public void set(final long value)
            {
                cell.setRelease(value);
            }
        };
    }
}
