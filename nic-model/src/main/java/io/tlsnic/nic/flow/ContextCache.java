package io.tlsnic.nic.flow;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;

/**
 * The device's on-chip context cache: a bounded LRU of expanded per-flow engine states ({@link FlowEngine}: AES key
 * schedule, GHASH subkey, the record cursor and the CTR/GHASH carry of the record in flight) for the flows that are
 * active now, in front of the compact {@link FlowContextTable}. A miss expands the state from the table slot (the
 * costly step, counted) through the {@link EngineFactory}; when full, the least recently used entry is evicted and
 * writes back to its slot what survives eviction ({@link FlowEngine#saveTo}).
 * <p>
 * <b>Eviction in the middle of a record.</b> What is lost is the partial CTR block and GHASH of the record in
 * flight. An RX state evicted there sets {@link FlowContextTable#FLAG_NEEDS_REBUILD}: the rest of that record is
 * delivered not decrypted and tracking resumes at the next record, whose position the slot's record length gives,
 * so no resync request is needed. A TX state in the middle of a record is {@link FlowEngine#pinned() pinned}: it
 * is passed over for eviction, and when every entry is pinned the cache grows past its capacity rather than lose
 * it (see {@link #overflow()}). Removal of a context drops its entry at once (the table calls
 * {@link #invalidate}); a stale entry is also recognised by the slot generation. Only the device agent uses a cache.
 */
public final class ContextCache
{
    /** Builds the engine state of a slot on a miss. */
    @FunctionalInterface
    public interface EngineFactory
    {
        /**
         * @param slot a live table slot.
         * @return its expanded state, positioned where the slot says.
         */
        FlowEngine create(int slot);
    }

    /** One cached engine state. */
    public static final class Entry
    {
        private int slot = -1;
        private int generation;
        private FlowEngine engine;
        private Entry prev;
        private Entry next;

        /** @return the table slot this state belongs to. */
        public int slot()
        {
            return slot;
        }

        /** @return the engine state. */
        public FlowEngine engine()
        {
            return engine;
        }
    }

    private final FlowContextTable table;
    private final NicCounterSet counters;
    private final EngineFactory factory;
    private final int capacity;
    private final Entry[] bySlot;
    private final Entry lru = new Entry();
    private final Entry[] free;
    private int freeCount;
    private int size;
    private int overflow;

    /**
     * @param table the context table; the cache registers as its removal listener.
     * @param capacity number of engine states kept, at least 1.
     * @param counters where hits, misses and evictions are counted.
     * @param factory expands a slot into its engine state.
     */
    public ContextCache(
        final FlowContextTable table, final int capacity, final NicCounterSet counters, final EngineFactory factory)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("context cache capacity " + capacity + " must be positive");
        }
        this.table = table;
        this.counters = counters;
        this.factory = factory;
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
     * The engine state of an installed context, expanding it on a miss.
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
            final Entry victim = leastRecentlyUsedUnpinned();
            if (victim != null)
            {
                evict(victim);
            }
        }
        if (freeCount > 0)
        {
            e = free[--freeCount];
        }
        else
        {
            e = new Entry();
            overflow++;
        }
        e.engine = factory.create(slot);
        e.slot = slot;
        e.generation = table.generation(slot);
        bySlot[slot] = e;
        linkFirst(e);
        size++;
        return e;
    }

    /**
     * @param slot a slot.
     * @return its cached state without touching LRU order or counters, or null when not cached.
     */
    public FlowEngine peek(final int slot)
    {
        final Entry e = bySlot[slot];
        return e != null && e.generation == table.generation(slot) ? e.engine : null;
    }

    /** @param slot a slot whose context was removed or resynced: its cached state is dropped at once. */
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

    /** @return the most states kept before pinned states force the cache past it. */
    public int capacity()
    {
        return capacity;
    }

    /** @return entries held now beyond the capacity because every cached state was pinned. */
    public int overflow()
    {
        return overflow;
    }

    private Entry leastRecentlyUsedUnpinned()
    {
        for (Entry e = lru.prev; e != lru; e = e.prev)
        {
            if (!e.engine.pinned())
            {
                return e;
            }
        }
        return null;
    }

    private void evict(final Entry e)
    {
        counters.increment(NicCounters.CTX_CACHE_EVICT);
        e.engine.saveTo(table, e.slot);
        if (e.engine.midRecord())
        {
            counters.increment(NicCounters.CTX_CACHE_EVICT_MID_RECORD);
            table.markNeedsRebuild(e.slot);
        }
        drop(e);
    }

    private void drop(final Entry e)
    {
        e.engine.close();
        unlink(e);
        bySlot[e.slot] = null;
        e.slot = -1;
        e.engine = null;
        size--;
        if (overflow > 0)
        {
            overflow--;
        }
        else
        {
            free[freeCount++] = e;
        }
    }

    private void linkFirst(final Entry e)
    {
        e.prev = lru;
        e.next = lru.next;
        lru.next.prev = e;
        lru.next = e;
    }

    private void unlink(final Entry e)
    {
        e.prev.next = e.next;
        e.next.prev = e.prev;
        e.prev = null;
        e.next = null;
    }
}
