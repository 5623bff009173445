package io.tlsnic.nic.flow;

import java.util.Arrays;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.crypto.AesGcmStream;

/**
 * The device's on-chip context cache: a bounded LRU of expanded cipher states ({@link AesGcmStream}: AES key
 * schedule, GHASH subkey, CTR and GHASH carry of the record in flight) for the flows that are active now, in front
 * of the compact {@link FlowContextTable}. A miss expands the key from the table slot (the costly step, counted);
 * when full, the least recently used entry is evicted.
 * <p>
 * <b>Eviction in the middle of a record.</b> The slot always holds what survives an eviction: record number, offset
 * in the record, the record's length and the expected TCP seq, which the data path updates at every segment. What
 * is lost is the partial CTR block and GHASH of the record in flight. Rather than write that carry back to the slot
 * (more slot bytes and a copy on every eviction), an entry the data path has marked {@link Entry#setInRecord in a
 * record} sets {@link FlowContextTable#FLAG_NEEDS_REBUILD} on its slot when it is evicted. The data path then
 * recovers as it does for other loss of state: TX rebuilds the record prefix from host memory (DUMP, mlx5 style);
 * RX delivers the rest of that record not decrypted and resumes at the next record, whose position it knows from
 * the record length in the slot — no resync request is needed. Removal of a context drops its entry at once
 * (the table calls {@link #invalidate}); a stale entry is also recognised by the slot generation.
 * Only the device agent uses a cache.
 */
public final class ContextCache
{
    /** One cached cipher state. */
    public static final class Entry
    {
        private int slot = -1;
        private int generation;
        private AesGcmStream stream;
        private boolean inRecord;
        private Entry prev;
        private Entry next;

        /** @return the table slot this state belongs to. */
        public int slot()
        {
            return slot;
        }

        /** @return the expanded cipher state. */
        public AesGcmStream stream()
        {
            return stream;
        }

        /** @return whether a record is in flight in {@link #stream()}. */
        public boolean inRecord()
        {
            return inRecord;
        }

        /** @param inRecord whether the data path has a record open in {@link #stream()}. */
        public void setInRecord(final boolean inRecord)
        {
            this.inRecord = inRecord;
        }
    }

    private final FlowContextTable table;
    private final NicCounterSet counters;
    private final int capacity;
    private final Entry[] bySlot;
    private final Entry lru = new Entry();
    private final Entry[] free;
    private int freeCount;
    private int size;
    private final byte[] key128 = new byte[16];
    private final byte[] key256 = new byte[32];

    /**
     * @param table the context table; the cache registers as its removal listener.
     * @param capacity number of cipher states kept, at least 1.
     * @param counters where hits, misses and evictions are counted.
     */
    public ContextCache(final FlowContextTable table, final int capacity, final NicCounterSet counters)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("context cache capacity " + capacity + " must be positive");
        }
        this.table = table;
        this.counters = counters;
        this.capacity = capacity;
        this.bySlot = new Entry[table.capacity()];
        this.free = new Entry[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[i] = new Entry();
        }
        this.freeCount = capacity;
        lru.prev = lru;
        lru.next = lru;
        table.setRemovalListener(this::invalidate);
    }

    /**
     * The cipher state of an installed context, expanding it on a miss.
     *
     * @param slot a live table slot.
     * @return the entry, now the most recently used.
     */
    public Entry acquire(final int slot)
    {
        Entry e = bySlot[slot];
        if (e != null && e.generation == table.generation(slot))
        {
            counters.increment(NicCounters.CTX_CACHE_HIT);
            unlink(e);
            linkFirst(e);
            return e;
        }
        counters.increment(NicCounters.CTX_CACHE_MISS);
        if (e != null)
        {
            drop(e);
        }
        if (freeCount == 0)
        {
            evict(lru.prev);
        }
        e = free[--freeCount];
        final byte[] key = table.cipher(slot).keyLength() == 16 ? key128 : key256;
        table.copyKey(slot, key, 0);
        try
        {
            e.stream = new AesGcmStream(key);
        }
        finally
        {
            Arrays.fill(key, (byte)0);
        }
        e.slot = slot;
        e.generation = table.generation(slot);
        e.inRecord = false;
        bySlot[slot] = e;
        linkFirst(e);
        size++;
        return e;
    }

    /** @param slot a slot whose context was removed: its cipher state is dropped at once. */
    public void invalidate(final int slot)
    {
        final Entry e = bySlot[slot];
        if (e != null)
        {
            drop(e);
        }
    }

    /** @param slot slot. @return whether its state is cached now (and belongs to the current occupant). */
    public boolean contains(final int slot)
    {
        final Entry e = bySlot[slot];
        return e != null && e.generation == table.generation(slot);
    }

    /** @return cached states. */
    public int size()
    {
        return size;
    }

    /** @return the most capacity states kept. */
    public int capacity()
    {
        return capacity;
    }

    private void evict(final Entry e)
    {
        counters.increment(NicCounters.CTX_CACHE_EVICT);
        if (e.inRecord)
        {
            counters.increment(NicCounters.CTX_CACHE_EVICT_MID_RECORD);
            table.markNeedsRebuild(e.slot);
        }
        drop(e);
    }

    private void drop(final Entry e)
    {
        unlink(e);
        bySlot[e.slot] = null;
        e.slot = -1;
        e.stream = null;
        e.inRecord = false;
        free[freeCount++] = e;
        size--;
    }

    private void linkFirst(final Entry e)
    {
        e.prev = lru;
        e.next = lru.next;
        lru.next.prev = e;
        lru.next = e;
    }

    private static void unlink(final Entry e)
    {
        e.prev.next = e.next;
        e.next.prev = e.prev;
        e.prev = null;
        e.next = null;
    }
}
