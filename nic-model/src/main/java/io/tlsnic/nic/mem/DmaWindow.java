package io.tlsnic.nic.mem;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * A checked view of {@code length} bytes of one host memory region, as an IOMMU mapping gives a device: the store
 * and the offset where the mapped range starts. Reused by its owner (no allocation per DMA); valid until the region
 * is freed.
 */
public final class DmaWindow
{
    private BytesStore<?, ?> store;
    private byte[] array;
    private long offset;
    private long length;

    void set(final BytesStore<?, ?> store, final byte[] array, final long offset, final long length)
    {
        this.store = store;
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** @return the region's store. */
    public BytesStore<?, ?> store()
    {
        return store;
    }

    /** @return offset of the first mapped byte in {@link #store()}. */
    public long offset()
    {
        return offset;
    }

    /** @return mapped length in bytes. */
    public long length()
    {
        return length;
    }

    /**
     * @return the heap array behind a {@link HostMemory.Placement#HEAP} region (index {@link #offset()} is the
     *         first mapped byte), or {@code null} for direct memory. The crypto path works on this array in place.
     */
    public byte[] array()
    {
        return array;
    }
}
