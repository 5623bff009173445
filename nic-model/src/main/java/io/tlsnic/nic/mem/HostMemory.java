package io.tlsnic.nic.mem;

import java.util.Arrays;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.io.SingleThreadedChecked;

/**
 * The host memory a driver owns and a device reaches by DMA: regions, each a Chronicle {@link BytesStore} at a
 * 64-bit DMA address (IOVA). Addresses start at {@link #IOVA_BASE} (so 0 is never valid), regions are page
 * aligned with an unmapped guard page between them (an access that runs off the end of one region never lands in
 * the next), and addresses are never reused after {@link #free} — a stale address is a DMA error, as with an
 * IOMMU.
 * <p>
 * <b>Placement.</b> {@link Placement#HEAP} (the default, for packet buffers and key blocks) wraps a {@code byte[]}:
 * the inline TLS engine runs SunJCE AES-GCM over these bytes, and MEASUREMENTS.md shows SunJCE is about 3x slower
 * on direct memory than on heap arrays at 16 KiB; a heap region also hands the engine its array
 * ({@link DmaWindow#array()}) with no copy. {@link Placement#DIRECT} (native memory) is offered for descriptor rings
 * shared with a device thread, like real DMA-coherent memory; it must be released, which {@link #free} and
 * {@link #close} do.
 * <p>
 * Threading: the driver allocates and frees; the device resolves addresses. A region is allocated before its
 * address is published to the device (through a ring or register with release semantics), so the device sees it.
 * Freeing a region the device may still be using is a driver bug, as it is on real hardware.
 * <p>
 * Regions are meant to be long-lived (rings, buffer pools, key-block pools): the region table keeps one entry per
 * allocation ever made, so a look-up is a binary search over it.
 */
public final class HostMemory implements AutoCloseable
{
    /** First DMA address handed out. */
    public static final long IOVA_BASE = 0x1_0000_0000L;
    /** Region alignment, and the size of the unmapped guard gap after each region. */
    public static final int PAGE_LENGTH = 4096;

    /** Where a region's bytes live. */
    public enum Placement
    {
        /** A {@code byte[]}: fastest for the crypto path. */
        HEAP,
        /** Native memory: must be released (done by {@link #free} / {@link #close}). */
        DIRECT
    }

    /** Entries of the look-up cache; a power of two. */
    private static final int RECENT_ENTRIES = 1024;
    private static final int PAGE_SHIFT = Integer.numberOfTrailingZeros(PAGE_LENGTH);

    private long[] bases = new long[16];
    private long[] lengths = new long[16];
    private BytesStore<?, ?>[] stores = new BytesStore<?, ?>[16];
    private int regionCount;
    /**
     * Recent look-ups, as an IOTLB keeps them: page number (mod {@link #RECENT_ENTRIES}) to region index + 1, 0 when
     * empty. Regions never move and their index never changes, so an entry is right whenever the region it names
     * holds the address; a wrong one only costs the binary search it would have saved.
     */
    private final int[] recent = new int[RECENT_ENTRIES];
    private long nextIova = IOVA_BASE;
    private long liveBytes;
    private int liveRegions;

    /**
     * Allocates a zeroed heap region.
     *
     * @param length bytes, at least 1.
     * @return its DMA address.
     */
    public long allocate(final int length)
    {
        return allocate(length, Placement.HEAP);
    }

    /**
     * Allocates a zeroed region.
     *
     * @param length bytes, at least 1.
     * @param placement heap or direct.
     * @return its DMA address.
     */
    public long allocate(final int length, final Placement placement)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("region length " + length + " must be positive");
        }
        final BytesStore<?, ?> store;
        if (placement == Placement.HEAP)
        {
            store = BytesStore.wrap(new byte[length]);
        }
        else
        {
            store = BytesStore.nativeStoreWithFixedCapacity(length);
            store.zeroOut(0, length);
        }
        if (store instanceof SingleThreadedChecked)
        {
            // Driver and device threads share host memory by design, like DMA-coherent memory.
            ((SingleThreadedChecked)store).singleThreadedCheckDisabled(true);
        }
        if (regionCount == bases.length)
        {
            final int n = regionCount * 2;
            bases = Arrays.copyOf(bases, n);
            lengths = Arrays.copyOf(lengths, n);
            stores = Arrays.copyOf(stores, n);
        }
        final long iova = nextIova;
        bases[regionCount] = iova;
        lengths[regionCount] = length;
        stores[regionCount] = store;
        regionCount++;
        liveBytes += length;
        liveRegions++;
        // Round up to a page and leave one unmapped page as a guard.
        nextIova = iova + ((length + PAGE_LENGTH - 1L) & -PAGE_LENGTH) + PAGE_LENGTH;
        return iova;
    }

    /**
     * Frees a region; its addresses stay invalid for ever. Direct memory is released.
     *
     * @param iova the address {@link #allocate} returned.
     */
    public void free(final long iova)
    {
        final int r = find(iova);
        if (r < 0 || bases[r] != iova || stores[r] == null)
        {
            throw new IllegalArgumentException(String.format("0x%x is not the start of a live region", iova));
        }
        release(r);
    }

    /**
     * The driver's (CPU's) view of a region, for writing descriptors and buffers.
     *
     * @param iova an address inside a live region.
     * @return the region's store; the byte at {@code iova} is at {@link #offsetOf(long)} in it.
     */
    public BytesStore<?, ?> storeOf(final long iova)
    {
        final int r = find(iova);
        if (r < 0 || stores[r] == null)
        {
            throw new IllegalArgumentException(String.format("0x%x is not in a live region", iova));
        }
        return stores[r];
    }

    /**
     * @param iova an address inside a live region.
     * @return its offset inside the region's store.
     */
    public long offsetOf(final long iova)
    {
        final int r = find(iova);
        if (r < 0 || stores[r] == null)
        {
            throw new IllegalArgumentException(String.format("0x%x is not in a live region", iova));
        }
        return iova - bases[r];
    }

    /**
     * Resolves {@code [iova, iova + length)} to one live region, the check every DMA access makes.
     *
     * @param iova first address.
     * @param length bytes, not negative.
     * @param window filled in on success.
     * @return false when the range is not entirely inside one live region (window untouched).
     */
    public boolean resolve(final long iova, final long length, final DmaWindow window)
    {
        final int r = find(iova);
        if (r < 0 || length < 0)
        {
            return false;
        }
        final BytesStore<?, ?> store = stores[r];
        final long offset = iova - bases[r];
        if (store == null || length > lengths[r] - offset)
        {
            return false;
        }
        window.set(store, offset, length);
        return true;
    }

    /** @return bytes in live regions. */
    public long liveBytes()
    {
        return liveBytes;
    }

    /** @return number of live regions. */
    public int liveRegions()
    {
        return liveRegions;
    }

    /** Frees every live region; the memory is unusable afterwards. */
    @Override
    public void close()
    {
        for (int r = 0; r < regionCount; r++)
        {
            if (stores[r] != null)
            {
                release(r);
            }
        }
    }

    private void release(final int r)
    {
        final BytesStore<?, ?> store = stores[r];
        stores[r] = null;
        liveBytes -= lengths[r];
        liveRegions--;
        if (store.isDirectMemory())
        {
            store.releaseLast();
        }
    }

    /** @return index of the region whose [base, base + length) holds iova, or -1. */
    private int find(final long iova)
    {
        // Regions are disjoint, so a cached region that holds the address is the one the search would find. The
        // arrays are read once: another thread may be growing them (copies keep every entry at its index).
        final long[] b = bases;
        final long[] l = lengths;
        final int entry = (int)(iova >>> PAGE_SHIFT) & (RECENT_ENTRIES - 1);
        final int cached = recent[entry] - 1;
        if (cached >= 0 && cached < b.length && b[cached] <= iova && iova - b[cached] < l[cached])
        {
            return cached;
        }
        final int found = search(iova);
        if (found >= 0)
        {
            recent[entry] = found + 1;
        }
        return found;
    }

    private int search(final long iova)
    {
        int lo = 0;
        int hi = regionCount - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (bases[mid] <= iova)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        // hi is the last region with base <= iova.
        return hi >= 0 && iova - bases[hi] < lengths[hi] ? hi : -1;
    }
}
