package io.tlsnic.nic.mem;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;

/**
 * The device's DMA port to host memory. Every access names an address and a length that must lie inside one live
 * region; anything else is a DMA error: counted in {@code dma_errors}, reported as {@code false}, never thrown.
 * Owned by the device agent (one writer of {@code dma_errors}).
 */
public final class Dma
{
    private final HostMemory memory;
    private final NicCounterSet counters;
    private final DmaWindow scratch = new DmaWindow();

    /**
     * @param memory host memory.
     * @param counters where DMA errors are counted.
     */
    public Dma(final HostMemory memory, final NicCounterSet counters)
    {
        this.memory = memory;
        this.counters = counters;
    }

    /**
     * Maps a range for repeated access (a descriptor ring, a packet buffer).
     *
     * @param iova first address.
     * @param length bytes.
     * @param window filled in on success.
     * @return false (and {@code dma_errors} + 1) when the range is not inside one live region.
     */
    public boolean map(final long iova, final long length, final DmaWindow window)
    {
        if (memory.resolve(iova, length, window))
        {
            return true;
        }
        counters.increment(NicCounters.DMA_ERRORS);
        return false;
    }

    /**
     * Reads host memory into a device buffer.
     *
     * @param iova first address.
     * @param dst destination.
     * @param dstOffset first destination byte.
     * @param length bytes.
     * @return false (nothing read, {@code dma_errors} + 1) on a bad address or length.
     */
    public boolean read(final long iova, final byte[] dst, final int dstOffset, final int length)
    {
        if (dstOffset < 0 || length < 0 || dstOffset > dst.length - length)
        {
            counters.increment(NicCounters.DMA_ERRORS);
            return false;
        }
        if (!map(iova, length, scratch))
        {
            return false;
        }
        final byte[] array = scratch.array();
        if (array != null)
        {
            // A heap region: one array copy, without the store's per-access checks.
            System.arraycopy(array, (int)scratch.offset(), dst, dstOffset, length);
        }
        else
        {
            scratch.store().read(scratch.offset(), dst, dstOffset, length);
        }
        return true;
    }

    /**
     * Writes a device buffer into host memory.
     *
     * @param iova first address.
     * @param src source.
     * @param srcOffset first source byte.
     * @param length bytes.
     * @return false (nothing written, {@code dma_errors} + 1) on a bad address or length.
     */
    public boolean write(final long iova, final byte[] src, final int srcOffset, final int length)
    {
        if (srcOffset < 0 || length < 0 || srcOffset > src.length - length)
        {
            counters.increment(NicCounters.DMA_ERRORS);
            return false;
        }
        if (!map(iova, length, scratch))
        {
            return false;
        }
        final byte[] array = scratch.array();
        if (array != null)
        {
            System.arraycopy(src, srcOffset, array, (int)scratch.offset(), length);
        }
        else
        {
            scratch.store().write(scratch.offset(), src, srcOffset, length);
        }
        return true;
    }
}
