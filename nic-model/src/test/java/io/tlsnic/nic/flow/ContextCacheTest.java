package io.tlsnic.nic.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.crypto.AesGcmStream;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

class ContextCacheTest
{
    private final NicCounterSet counters = new NicCounterSet();
    private final FlowContextTable table = new FlowContextTable(8, DeviceCapabilities.defaults());
    private final ContextCache cache = new ContextCache(table, 2, counters);
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
    void shouldExpandTheSlotKeyIntoAWorkingCipherState()
    {
        for (final int i : new int[] {0, 1})
        {
            final ContextCache.Entry e = cache.acquire(table.slotOf(100 + i));
            final byte[] nonce = new byte[12];
            table.copyNonceBase(e.slot(), nonce, 0);
            final byte[] aad = {23, 3, 3, 0, 21};
            final byte[] text = "hello, offload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            final byte[] fromCache = seal(e.stream(), nonce, aad, text);
            final byte[] reference = seal(new AesGcmStream(infos[i].key()), nonce, aad, text);
            assertArrayEquals(reference, fromCache);
        }
    }

    @Test
    void shouldMarkContextEvictedMidRecordForRebuild()
    {
        final int a = table.slotOf(100);
        cache.acquire(a).setInRecord(true);
        cache.acquire(table.slotOf(101));
        cache.acquire(table.slotOf(102));
        assertFalse(cache.contains(a));
        assertEquals(FlowContextTable.FLAG_NEEDS_REBUILD, table.flags(a));
        assertEquals(1, counters.get(NicCounters.CTX_CACHE_EVICT_MID_RECORD));
        final ContextCache.Entry again = cache.acquire(a);
        assertFalse(again.inRecord(), "a rebuilt state starts outside any record");
        table.resync(a, 1, 2);
        assertEquals(0, table.flags(a));
    }

    @Test
    void shouldDropStateOfRemovedContextAndNeverServeItToTheNextOccupant()
    {
        final int a = table.slotOf(100);
        final ContextCache.Entry old = cache.acquire(a);
        final AesGcmStream oldStream = old.stream();
        assertTrue(table.remove(100));
        assertFalse(cache.contains(a));
        assertEquals(0, cache.size());
        final byte[] ci = infos[4].toBytes();
        table.install(200, TestContexts.ipv4(Direction.TX, 9), ci, 0, ci.length, 0);
        assertEquals(a, table.slotOf(200), "slot reused");
        final ContextCache.Entry fresh = cache.acquire(a);
        assertNotSame(oldStream, fresh.stream());
        assertEquals(2, counters.get(NicCounters.CTX_CACHE_MISS));
        assertEquals(0, counters.get(NicCounters.CTX_CACHE_EVICT), "removal is not an eviction");
    }

    private static byte[] seal(final AesGcmStream stream, final byte[] nonce, final byte[] aad, final byte[] text)
    {
        final byte[] out = new byte[text.length + 16];
        stream.start(true, nonce, 0, aad, 0, aad.length);
        stream.update(text, 0, 5, out, 0);
        stream.update(text, 5, text.length - 5, out, 5);
        stream.finishTag(out, text.length);
        return out;
    }
}
