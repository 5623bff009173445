package io.tlsnic.nic.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;

import net.openhft.chronicle.bytes.BytesStore;

class HostMemoryTest
{
    private final HostMemory memory = new HostMemory();
    private final NicCounterSet counters = new NicCounterSet();
    private final Dma dma = new Dma(memory, counters);

    @AfterEach
    void releaseMemory()
    {
        memory.close();
        assertEquals(0, memory.liveRegions());
        assertEquals(0, memory.liveBytes());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldResolveEveryLiveRegionWhileAnotherThreadAllocates() throws InterruptedException
    {
        // The driver allocates (key blocks, larger TX buffers) while the device resolves addresses on its thread.
        final long first = memory.allocate(64);
        final int allocations = 100_000;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicLong published = new AtomicLong(first);
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread driver = new Thread(() ->
        {
            for (int i = 0; i < allocations; i++)
            {
                published.setRelease(memory.allocate(1 + (i & 127)));
            }
            done.set(true);
        }, "memory-driver");
        final Thread device = new Thread(() ->
        {
            final DmaWindow window = new DmaWindow();
            long lookups = 0;
            while (!done.get() || lookups == 0)
            {
                final long latest = published.getAcquire();
                try
                {
                    if (!memory.resolve(first, 64, window) || !memory.resolve(latest, 1, window))
                    {
                        failure.compareAndSet(null, String.format("a live region did not resolve (0x%x)", latest));
                    }
                }
                catch (final RuntimeException e)
                {
                    failure.compareAndSet(null, "resolve threw " + e);
                }
                lookups++;
            }
        }, "memory-device");
        driver.setDaemon(true);
        device.setDaemon(true);
        device.start();
        driver.start();
        driver.join(25_000);
        device.join(25_000);
        assertFalse(driver.isAlive() || device.isAlive(), "threads finished");
        assertNull(failure.get());
        assertEquals(allocations + 1, memory.liveRegions());
    }

    @Test
    void shouldPlaceRegionsOnPagesWithGuardGapsAwayFromZero()
    {
        final long a = memory.allocate(100);
        final long b = memory.allocate(4096);
        final long c = memory.allocate(1);
        assertEquals(HostMemory.IOVA_BASE, a);
        assertEquals(a + 2 * HostMemory.PAGE_LENGTH, b);
        assertEquals(b + 2 * HostMemory.PAGE_LENGTH, c);
        assertEquals(4197, memory.liveBytes());
        assertEquals(3, memory.liveRegions());
    }

    @Test
    void shouldMoveBytesBothWaysByDma()
    {
        final long a = memory.allocate(64);
        final byte[] out = {1, 2, 3, 4, 5};
        assertTrue(dma.write(a + 10, out, 0, 5));
        assertEquals(3, memory.storeOf(a + 12).readByte(memory.offsetOf(a + 12)));
        final byte[] in = new byte[7];
        assertTrue(dma.read(a + 9, in, 1, 6));
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4, 5}, in);
        assertTrue(dma.read(a + 59, in, 0, 5), "last bytes of a region");
        assertEquals(0, counters.get(NicCounters.DMA_ERRORS));
    }

    @Test
    void shouldResolveRepeatedLookUpsToTheRightRegionAndRejectFreedOnesStill()
    {
        // 1500 regions: look-ups whose cache entries collide (1024 entries) and regions the cache has seen.
        final long[] regions = new long[1500];
        for (int i = 0; i < regions.length; i++)
        {
            regions[i] = memory.allocate(2048);
            memory.storeOf(regions[i]).writeInt(memory.offsetOf(regions[i]), i);
        }
        final byte[] word = new byte[4];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < regions.length; i++)
            {
                assertTrue(dma.read(regions[i], word, 0, 4));
                assertEquals(i, (word[0] & 0xFF) | (word[1] & 0xFF) << 8 | (word[2] & 0xFF) << 16);
                assertFalse(dma.read(regions[i] + 2046, word, 0, 4), "runs off the end of region " + i);
                assertFalse(dma.read(regions[i] + 4096, word, 0, 4), "guard page after region " + i);
            }
        }
        memory.free(regions[7]);
        assertFalse(dma.read(regions[7], word, 0, 4), "freed after its look-up was cached");
        assertTrue(dma.read(regions[8], word, 0, 4));
        assertEquals(2 * 2 * regions.length + 1, counters.get(NicCounters.DMA_ERRORS));
    }

    @Test
    void shouldCountEveryBadDmaAndTouchNothing()
    {
        final long a = memory.allocate(64);
        final long b = memory.allocate(64);
        final byte[] buffer = {9, 9, 9, 9};
        assertFalse(dma.read(0, buffer, 0, 4), "address 0");
        assertFalse(dma.read(a - 1, buffer, 0, 4), "before the first region");
        assertFalse(dma.read(a + 62, buffer, 0, 4), "runs off the end");
        assertFalse(dma.write(a + 64, buffer, 0, 4), "guard gap");
        assertFalse(dma.read(a, buffer, 2, 4), "device buffer too small");
        assertFalse(dma.read(a, buffer, 0, -1), "negative length");
        memory.free(b);
        assertFalse(dma.write(b, buffer, 0, 4), "freed region");
        assertFalse(dma.map(b + 8, 8, new DmaWindow()), "freed region, mapped");
        assertEquals(8, counters.get(NicCounters.DMA_ERRORS));
        assertArrayEquals(new byte[] {9, 9, 9, 9}, buffer);
        assertThrows(IllegalArgumentException.class, () -> memory.free(b), "double free is a driver bug");
        assertThrows(IllegalArgumentException.class, () -> memory.free(a + 1), "not a region start");
    }

    @Test
    void shouldHandTheCryptoPathTheHeapArrayOfAHeapRegion()
    {
        final long a = memory.allocate(128);
        final DmaWindow window = new DmaWindow();
        assertTrue(dma.map(a + 32, 64, window));
        assertEquals(32, window.offset());
        assertEquals(64, window.length());
        final byte[] array = window.array();
        assertNotNull(array);
        array[(int)window.offset()] = 42;
        final byte[] in = new byte[1];
        assertTrue(dma.read(a + 32, in, 0, 1));
        assertEquals(42, in[0]);
    }

    @Test
    void shouldReleaseDirectRegionsOnFreeAndClose()
    {
        final long a = memory.allocate(256, HostMemory.Placement.DIRECT);
        final long b = memory.allocate(256, HostMemory.Placement.DIRECT);
        final BytesStore<?, ?> storeA = memory.storeOf(a);
        final BytesStore<?, ?> storeB = memory.storeOf(b);
        assertTrue(storeA.isDirectMemory());
        assertEquals(0, storeA.readLong(0), "direct regions start zeroed");
        final DmaWindow window = new DmaWindow();
        assertTrue(dma.map(a, 256, window));
        assertNull(window.array(), "no heap array behind direct memory");
        assertEquals(1, storeA.refCount());
        memory.free(a);
        assertEquals(0, storeA.refCount());
        memory.close();
        assertEquals(0, storeB.refCount());
    }
}
