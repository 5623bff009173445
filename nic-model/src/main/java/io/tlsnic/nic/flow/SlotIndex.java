package io.tlsnic.nic.flow;

/**
 * Open-addressing hash index from a 32-bit hash to a table slot: linear probing, deletion by backward shift (no
 * tombstones, so probe chains never degrade under install/remove churn), at most half full. Equality of the
 * actual keys is the caller's business: it walks the probe chain from {@link #start} and compares at each slot.
 */
final class SlotIndex
{
    private final int[] hashes;
    /** slot + 1; 0 marks an empty bucket, so a fresh array is an empty index. */
    private final int[] slots;
    private final int mask;

    SlotIndex(final int capacity)
    {
        final int buckets = Math.max(2, Integer.highestOneBit(Math.max(1, capacity * 2 - 1)) << 1);
        hashes = new int[buckets];
        slots = new int[buckets];
        mask = buckets - 1;
    }

    int start(final int hash)
    {
        int h = hash * 0x9E37_79B9;
        h ^= h >>> 16;
        return h & mask;
    }

    int next(final int bucket)
    {
        return (bucket + 1) & mask;
    }

    /** @return the slot in the bucket, or -1 when it is empty (end of the probe chain). */
    int slotAt(final int bucket)
    {
        return slots[bucket] - 1;
    }

    int hashAt(final int bucket)
    {
        return hashes[bucket];
    }

    void put(final int hash, final int slot)
    {
        int b = start(hash);
        while (slots[b] != 0)
        {
            b = next(b);
        }
        hashes[b] = hash;
        slots[b] = slot + 1;
    }

    void removeAt(final int bucket)
    {
        int hole = bucket;
        int b = bucket;
        while (true)
        {
            slots[hole] = 0;
            hashes[hole] = 0;
            while (true)
            {
                b = next(b);
                if (slots[b] == 0)
                {
                    return;
                }
                final int home = start(hashes[b]);
                // Move b into the hole unless its home lies cyclically in (hole, b].
                final boolean homeBetween = hole <= b ? hole < home && home <= b : hole < home || home <= b;
                if (!homeBetween)
                {
                    hashes[hole] = hashes[b];
                    slots[hole] = slots[b];
                    hole = b;
                    break;
                }
            }
        }
    }

    int bucketCount()
    {
        return slots.length;
    }
}
