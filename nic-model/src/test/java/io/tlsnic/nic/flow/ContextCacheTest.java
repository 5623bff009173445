package io.tlsnic.nic.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

class ContextCacheTest
{
    private final NicCounterSet counters = new NicCounterSet();
    private final FlowContextTable table = new FlowContextTable(8, DeviceCapabilities.defaults());
    private final ContextCache cache = new ContextCache(table, 2, counters, FakeEngine::new);

    /** An engine state whose record position the test sets; it remembers where it was saved. */
    private static final class FakeEngine implements FlowEngine
    {
        final int slot;
        boolean midRecord;
        boolean pinned;
        int savedTo = -1;

        FakeEngine(final int slot)
        {
            this.slot = slot;
        }

        @Override
        public boolean midRecord()
        {
            return midRecord;
        }

        @Override
        public boolean pinned()
        {
            return pinned;
        }

        @Override
        public void saveTo(final FlowContextTable t, final int s)
        {
            savedTo = s;
            t.setRecordNumber(s, 77);
        }
    }
    private final CryptoInfo[] infos = new CryptoInfo[8];

    ContextCacheTest()
    {
        for (int i = 0; i < 8; i++)
        {
            infos[i] = TestContexts.cryptoInfo(TlsVersion.TLS_1_3, i % 2 == 0 ? TlsCipher.AES_GCM_128 :
                TlsCipher.AES_GCM_256, i, 0);
            final byte[] ci = infos[i].toBytes();
            table.install(100 + i, TestContexts.ipv4(Direction.RX, i), ci, 0, ci.length, 0);
        }
    }

    @Test
    void shouldHitMissAndEvictLeastRecentlyUsed()
    {
        final int a = table.slotOf(100);
        final int b = table.slotOf(101);
        final int c = table.slotOf(102);
        final ContextCache.Entry ea = cache.acquire(a);
        cache.acquire(b);
        assertSame(ea, cache.acquire(a), "hit returns the same state");
        cache.acquire(c);
        assertTrue(cache.contains(a));
        assertFalse(cache.contains(b), "b was least recently used");
        assertTrue(cache.contains(c));
        assertEquals(2, cache.size());
        assertEquals(1, counters.get(NicCounters.CTX_CACHE_HIT));
        assertEquals(3, counters.get(NicCounters.CTX_CACHE_MISS));
        assertEquals(1, counters.get(NicCounters.CTX_CACHE_EVICT));
        assertEquals(0, counters.get(NicCounters.CTX_CACHE_EVICT_MID_RECORD));
        assertEquals(0, table.flags(b));
    }

    @Test
    void shouldBuildStateFromItsOwnSlotAndWriteItBackWhenEvicted()
    {
        final int a = table.slotOf(100);
        final FakeEngine ea = (FakeEngine)cache.acquire(a).engine();
        assertEquals(a, ea.slot);
        cache.acquire(table.slotOf(101));
        cache.acquire(table.slotOf(102));
        assertEquals(a, ea.savedTo, "evicted state writes back to its slot");
        assertEquals(77, table.recordNumber(a));
    }

    @Test
    void shouldNeverEvictAPinnedStateAndGrowPastCapacityInstead()
    {
        final FakeEngine a = (FakeEngine)cache.acquire(table.slotOf(100)).engine();
        final FakeEngine b = (FakeEngine)cache.acquire(table.slotOf(101)).engine();
        a.pinned = true;
        b.pinned = true;
        cache.acquire(table.slotOf(102));
        assertTrue(cache.contains(table.slotOf(100)) && cache.contains(table.slotOf(101)));
        assertEquals(3, cache.size());
        assertEquals(1, cache.overflow());
        assertEquals(0, counters.get(NicCounters.CTX_CACHE_EVICT));
        b.pinned = false;
        cache.acquire(table.slotOf(103));
        assertFalse(cache.contains(table.slotOf(101)), "the unpinned one goes first");
        assertTrue(table.remove(102));
        assertTrue(table.remove(103));
        assertEquals(0, cache.overflow(), "dropped entries pay back the overflow first");
        assertEquals(1, cache.size());
    }

    @Test
    void shouldMarkContextEvictedMidRecordForRebuild()
    {
        final int a = table.slotOf(100);
        ((FakeEngine)cache.acquire(a).engine()).midRecord = true;
        cache.acquire(table.slotOf(101));
        cache.acquire(table.slotOf(102));
        assertFalse(cache.contains(a));
        assertEquals(FlowContextTable.FLAG_NEEDS_REBUILD, table.flags(a));
        assertEquals(1, counters.get(NicCounters.CTX_CACHE_EVICT_MID_RECORD));
        assertFalse(cache.acquire(a).engine().midRecord(), "a rebuilt state starts from the slot");
        table.resync(a, 1, 2);
        assertEquals(0, table.flags(a));
    }

    @Test
    void shouldDropStateOfRemovedContextAndNeverServeItToTheNextOccupant()
    {
        final int a = table.slotOf(100);
        final ContextCache.Entry old = cache.acquire(a);
        final FlowEngine oldEngine = old.engine();
        assertTrue(table.remove(100));
        assertFalse(cache.contains(a));
        assertEquals(0, cache.size());
        final byte[] ci = infos[4].toBytes();
        table.install(200, TestContexts.ipv4(Direction.TX, 9), ci, 0, ci.length, 0);
        assertEquals(a, table.slotOf(200), "slot reused");
        final ContextCache.Entry fresh = cache.acquire(a);
        assertNotSame(oldEngine, fresh.engine());
        assertEquals(2, counters.get(NicCounters.CTX_CACHE_MISS));
        assertEquals(0, counters.get(NicCounters.CTX_CACHE_EVICT), "removal is not an eviction");
    }
}
