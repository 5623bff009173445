package io.tlsnic.nic.ring;

import java.nio.ByteOrder;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Geometry of a ring of fixed-size entries in memory: {@code capacity} (a power of two) entries of
 * {@code entryLength} bytes from {@code baseOffset}. Entry of sequence {@code seq} is at
 * {@code baseOffset + (seq & mask) * entryLength}. Also the phase rule of completion rings: the owner bit a
 * producer writes for {@code seq} is 1 on the first lap, 0 on the second, and so on, so zeroed memory is never
 * mistaken for a published entry.
 * <p>
 * The layouts are little-endian, as on real NICs; the flyweights use Chronicle's native-order accessors, so the
 * model refuses to build a ring on a big-endian host rather than write wrong bytes.
 */
public final class Ring
{
    /** Smallest ring. */
    public static final int MIN_CAPACITY = 2;
    /** Largest ring (the 16-bit size of most NIC rings). */
    public static final int MAX_CAPACITY = 1 << 15;

    private final BytesStore<?, ?> store;
    private final long baseOffset;
    private final int capacity;
    private final int entryLength;
    private final int mask;
    private final int capacityShift;

    /**
     * @param store memory holding the ring.
     * @param baseOffset offset of entry 0.
     * @param capacity number of entries, a power of two in [{@link #MIN_CAPACITY}, {@link #MAX_CAPACITY}].
     * @param entryLength bytes per entry, a power of two.
     */
    public Ring(final BytesStore<?, ?> store, final long baseOffset, final int capacity, final int entryLength)
    {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new IllegalStateException("descriptor layouts are little-endian; this host is big-endian");
        }
        if (!isValidCapacity(capacity))
        {
            throw new IllegalArgumentException("ring capacity " + capacity + " is not a power of two in [" +
                MIN_CAPACITY + ", " + MAX_CAPACITY + "]");
        }
        if (Integer.bitCount(entryLength) != 1)
        {
            throw new IllegalArgumentException("entry length " + entryLength + " is not a power of two");
        }
        final long needed = byteLength(capacity, entryLength);
        if (baseOffset < 0 || store.capacity() - baseOffset < needed)
        {
            throw new IllegalArgumentException("ring of " + needed + " bytes at offset " + baseOffset +
                " does not fit a store of " + store.capacity() + " bytes");
        }
        this.store = store;
        this.baseOffset = baseOffset;
        this.capacity = capacity;
        this.entryLength = entryLength;
        this.mask = capacity - 1;
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
    }

    /**
     * @param capacity entries.
     * @return whether it is a power of two in the allowed range.
     */
    public static boolean isValidCapacity(final long capacity)
    {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Long.bitCount(capacity) == 1;
    }

    /**
     * @param capacity entries.
     * @param entryLength bytes per entry.
     * @return bytes the ring occupies.
     */
    public static long byteLength(final int capacity, final int entryLength)
    {
        return (long)capacity * entryLength;
    }

    /**
     * @param seq sequence number (only grows).
     * @return offset of its entry in {@link #store()}.
     */
    public long entryOffset(final long seq)
    {
        return baseOffset + (seq & mask) * (long)entryLength;
    }

    /**
     * @param seq sequence number.
     * @return the owner/phase bit a producer writes for it: 1 on even laps (including the first), 0 on odd laps.
     */
    public int phaseOf(final long seq)
    {
        return (int)((seq >>> capacityShift) & 1) ^ 1;
    }

    /** @return memory holding the ring. */
    public BytesStore<?, ?> store()
    {
        return store;
    }

    /** @return number of entries. */
    public int capacity()
    {
        return capacity;
    }

    /** @return bytes per entry. */
    public int entryLength()
    {
        return entryLength;
    }
}
