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
 * The driver may allocate (key blocks, larger TX buffers) while a device thread resolves other addresses: an entry
 * is written before the region count that covers it (both volatile), and a full table is replaced by a larger copy
 * before that, so a reader that reads the count first and the table second always finds every entry the count
 * covers, whole. Freeing a region the device may still be using is a driver bug, as it is on real hardware.
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

    /**
     * Entries of the look-up cache; a power of two. 16,384 pages cover 64 MiB of addresses: every RX buffer of both
     * rings of a threaded run (2 x 2,048 buffers, each two pages with its guard) and the TX buffers stay cached, where
     * 1,024 entries made most RX look-ups a binary search.
     */
    private static final int RECENT_ENTRIES = 16384;
    private static final int PAGE_SHIFT = Integer.numberOfTrailingZeros(PAGE_LENGTH);

    /** The region table; replaced by a larger copy when full, never shrunk (see {@link Regions}). */
    private volatile Regions regions = new Regions(16);
    /** Entries of {@link #regions} in use; written after the entry it counts, so a reader sees whole entries. */
    private volatile int regionCount;
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
        byte[] array = null;
        if (placement == Placement.HEAP)
        {
            array = new byte[length];
            store = BytesStore.wrap(array);
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
        final int count = regionCount;
        Regions table = regions;
        if (count == table.bases.length)
        {
            table = table.grown();
            regions = table;
        }
        final long iova = nextIova;
        table.bases[count] = iova;
        table.lengths[count] = length;
        table.stores[count] = store;
        table.arrays[count] = array;
        regionCount = count + 1;
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
        final Regions table = regions;
        if (r < 0 || table.bases[r] != iova || table.stores[r] == null)
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
        final BytesStore<?, ?> store = r < 0 ? null : regions.stores[r];
        if (store == null)
        {
            throw new IllegalArgumentException(String.format("0x%x is not in a live region", iova));
        }
        return store;
    }

    /**
     * @param iova an address inside a live region.
     * @return its offset inside the region's store.
     */
    public long offsetOf(final long iova)
    {
        final int r = find(iova);
        final Regions table = regions;
        if (r < 0 || table.stores[r] == null)
        {
            throw new IllegalArgumentException(String.format("0x%x is not in a live region", iova));
        }
        return iova - table.bases[r];
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
        final Regions table = regions;
        final BytesStore<?, ?> store = table.stores[r];
        final long offset = iova - table.bases[r];
        if (store == null || length > table.lengths[r] - offset)
        {
            return false;
        }
        window.set(store, table.arrays[r], offset, length);
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
        final int count = regionCount;
        final Regions table = regions;
        for (int r = 0; r < count; r++)
        {
            if (table.stores[r] != null)
            {
                release(r);
            }
        }
    }

    private void release(final int r)
    {
        final Regions table = regions;
        final BytesStore<?, ?> store = table.stores[r];
        table.stores[r] = null;
        table.arrays[r] = null;
        liveBytes -= table.lengths[r];
        liveRegions--;
        if (store.isDirectMemory())
        {
            store.releaseLast();
        }
    }

    /** @return index of the region whose [base, base + length) holds iova, or -1. */
    private int find(final long iova)
    {
        // Count first, table second: the table read is at least as new as the count (see the class comment). Regions
        // are disjoint, so a cached region that holds the address is the one the search would find.
        final int count = regionCount;
        final Regions table = regions;
        final long[] b = table.bases;
        final long[] l = table.lengths;
        final int entry = (int)(iova >>> PAGE_SHIFT) & (RECENT_ENTRIES - 1);
        final int cached = recent[entry] - 1;
        if (cached >= 0 && cached < count && b[cached] <= iova && iova - b[cached] < l[cached])
        {
            return cached;
        }
        final int found = search(b, l, count, iova);
        if (found >= 0)
        {
            recent[entry] = found + 1;
        }
        return found;
    }

    private static int search(final long[] bases, final long[] lengths, final int count, final long iova)
    {
        int lo = 0;
        int hi = count - 1;
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

    /**
     * The region table's arrays, indexed alike. Entries never move: a full table is copied into one twice the size,
     * which replaces it, so an index a reader found stays valid in every later table.
     */
    private static final class Regions
    {
        final long[] bases;
        final long[] lengths;
        final BytesStore<?, ?>[] stores;
        /** The array behind each heap region (null for direct memory): DMA copies reach it without the store. */
        final byte[][] arrays;

        Regions(final int capacity)
        {
            this(new long[capacity], new long[capacity], new BytesStore<?, ?>[capacity], new byte[capacity][]);
        }

        private Regions(final long[] bases, final long[] lengths, final BytesStore<?, ?>[] stores,
            final byte[][] arrays)
        {
            this.bases = bases;
            this.lengths = lengths;
            this.stores = stores;
            this.arrays = arrays;
        }

        Regions grown()
        {
            final int n = bases.length * 2;
            return new Regions(Arrays.copyOf(bases, n), Arrays.copyOf(lengths, n), Arrays.copyOf(stores, n),
                Arrays.copyOf(arrays, n));
        }
    }
}
