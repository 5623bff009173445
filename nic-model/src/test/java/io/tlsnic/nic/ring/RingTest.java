package io.tlsnic.nic.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.tlsnic.nic.mem.HostMemory;

import net.openhft.chronicle.bytes.BytesStore;

/** Submission and completion rings: wrap-around, back-pressure, a lagging consumer, two threads. */
class RingTest
{
    private final HostMemory memory = new HostMemory();

    @AfterEach
    void releaseMemory()
    {
        memory.close();
        assertEquals(0, memory.liveRegions());
    }

    @Test
    void shouldWrapSubmissionRingManyTimesInOrder()
    {
        final Ring ring = ring(8, RxDescriptorFlyweight.LENGTH);
        final RingIndex tail = RingIndex.cell();
        final RingIndex head = RingIndex.cell();
        final SubmissionProducer producer = new SubmissionProducer(ring, tail, head);
        final SubmissionConsumer consumer = new SubmissionConsumer(ring, tail, head);
        long expected = 0;
        for (long seq = 0; seq < 10_000; seq++)
        {
            final long offset = producer.claim();
            assertTrue(offset >= 0);
            RxDescriptorFlyweight.write(ring.store(), offset, seq, (int)seq);
            producer.publish();
            if (seq % 3 == 2)
            {
                long entry;
                while ((entry = consumer.peek()) >= 0)
                {
                    assertEquals(expected++, RxDescriptorFlyweight.bufferAddress(ring.store(), entry));
                    consumer.advance();
                }
                consumer.commitHead();
            }
        }
        drain(consumer, ring, expected, 10_000);
        assertEquals(10_000, head.get());
    }

    @Test
    void shouldRefuseToPostIntoFullRingAndLoseNothing()
    {
        final Ring ring = ring(4, RxDescriptorFlyweight.LENGTH);
        final RingIndex tail = RingIndex.cell();
        final RingIndex head = RingIndex.cell();
        final SubmissionProducer producer = new SubmissionProducer(ring, tail, head);
        final SubmissionConsumer consumer = new SubmissionConsumer(ring, tail, head);
        for (int i = 0; i < 4; i++)
        {
            RxDescriptorFlyweight.write(ring.store(), producer.claim(), i, 0);
        }
        assertEquals(-1, producer.claim());
        assertEquals(0, producer.freeEntries());
        producer.publish();

        // The device consumes one entry but has not handed it back yet: still full.
        assertEquals(0, RxDescriptorFlyweight.bufferAddress(ring.store(), consumer.peek()));
        consumer.advance();
        assertEquals(-1, producer.claim());
        consumer.commitHead();
        RxDescriptorFlyweight.write(ring.store(), producer.claim(), 4, 0);
        assertEquals(-1, producer.claim());
        producer.publish();
        drain(consumer, ring, 1, 5);
    }

    @Test
    void shouldLetConsumerLagAndCatchUp()
    {
        final Ring ring = ring(16, RxDescriptorFlyweight.LENGTH);
        final RingIndex tail = RingIndex.cell();
        final RingIndex head = RingIndex.cell();
        final SubmissionProducer producer = new SubmissionProducer(ring, tail, head);
        final SubmissionConsumer consumer = new SubmissionConsumer(ring, tail, head);
        long posted = 0;
        long consumed = 0;
        for (int round = 0; round < 1000; round++)
        {
            // Producer posts as much as it can; the consumer takes at most 3 per round.
            long offset;
            while ((offset = producer.claim()) >= 0)
            {
                RxDescriptorFlyweight.write(ring.store(), offset, posted++, 0);
            }
            producer.publish();
            assertEquals(16, posted - consumed, "ring stays full while the consumer lags");
            for (int i = 0; i < 3; i++)
            {
                assertEquals(consumed++, RxDescriptorFlyweight.bufferAddress(ring.store(), consumer.peek()));
                consumer.advance();
            }
            consumer.commitHead();
        }
        drain(consumer, ring, consumed, posted);
    }

    @Test
    void shouldPublishCompletionsByPhaseAcrossLapsAndRespectDriverHead()
    {
        final Ring ring = ring(4, CompletionFlyweight.LENGTH);
        final RingIndex cqHead = RingIndex.cell();
        final RingIndex cqTail = RingIndex.cell();
        final CompletionProducer device = new CompletionProducer(ring, CompletionFlyweight.OWNER_OFFSET, cqHead, cqTail);
        final CompletionConsumer driver = new CompletionConsumer(ring, CompletionFlyweight.OWNER_OFFSET, cqHead);
        assertEquals(-1, driver.peek(), "zeroed memory is not a completion");
        long next = 0;
        for (int seq = 0; seq < 1003; seq++)
        {
            long offset = device.claim();
            if (offset < 0)
            {
                // Full: the driver reaps everything, then the device goes on.
                long entry;
                while ((entry = driver.peek()) >= 0)
                {
                    assertEquals(next++, CompletionFlyweight.descriptorIndex(ring.store(), entry));
                    driver.advance();
                }
                assertEquals(-1, device.claim(), "no space until the driver writes its head");
                driver.commitHead();
                offset = device.claim();
            }
            CompletionFlyweight.writeBody(ring.store(), offset, seq, 0, 0, 0, 0, 0, 0, 0, 0);
            if (driver.nextSequence() == seq)
            {
                assertEquals(-1, driver.peek(), "a claimed entry is invisible until published");
            }
            device.publish();
            assertEquals(seq + 1, cqTail.get());
        }
        long entry;
        while ((entry = driver.peek()) >= 0)
        {
            assertEquals(next++, CompletionFlyweight.descriptorIndex(ring.store(), entry));
            driver.advance();
        }
        assertEquals(1003, next);
    }

    @Test
    void shouldPublishTheProducerIndexBeforeTheEntryItCovers()
    {
        // A driver on another thread may consume an entry the moment its owner word flips and write its CQ head
        // up to it; the register refuses a head past the producer index, so the index must already cover it.
        final Ring ring = ring(4, CompletionFlyweight.LENGTH);
        final RingIndex cqHead = RingIndex.cell();
        final CompletionConsumer driver = new CompletionConsumer(ring, CompletionFlyweight.OWNER_OFFSET, cqHead);
        final long[] visibleWhenIndexed = new long[10];
        final int[] published = new int[1];
        final RingIndex cqTail = new RingIndex()
        {
            private long value;

            @Override
            public long get()
            {
                return value;
            }

            @Override
            public void set(final long v)
            {
                visibleWhenIndexed[published[0]] = driver.peek();
                value = v;
            }
        };
        final CompletionProducer device =
            new CompletionProducer(ring, CompletionFlyweight.OWNER_OFFSET, cqHead, cqTail);
        for (int seq = 0; seq < 10; seq++)
        {
            final long offset = device.claim();
            CompletionFlyweight.writeBody(ring.store(), offset, seq, 0, 0, 0, 0, 0, 0, 0, 0);
            device.publish();
            assertEquals(-1, visibleWhenIndexed[seq], "entry " + seq + " was visible before the index covered it");
            assertEquals(seq + 1, cqTail.get());
            assertTrue(driver.peek() >= 0);
            driver.advance();
            driver.commitHead();
            published[0]++;
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldHandOffEntriesBetweenTwoThreadsThroughDirectMemory() throws InterruptedException
    {
        final long iova = memory.allocate(64 * CompletionFlyweight.LENGTH, HostMemory.Placement.DIRECT);
        final BytesStore<?, ?> store = memory.storeOf(iova);
        final Ring ring = new Ring(store, memory.offsetOf(iova), 64, CompletionFlyweight.LENGTH);
        final RingIndex head = RingIndex.cell();
        final CompletionProducer producer = new CompletionProducer(ring, CompletionFlyweight.OWNER_OFFSET, head, null);
        final CompletionConsumer consumer = new CompletionConsumer(ring, CompletionFlyweight.OWNER_OFFSET, head);
        final int count = 200_000;
        final AtomicLong sum = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread device = new Thread(() ->
        {
            for (int i = 0; i < count; i++)
            {
                long offset;
                while ((offset = producer.claim()) < 0)
                {
                    Thread.onSpinWait();
                }
                // Two fields that must agree: a torn or early read shows up as a mismatch.
                CompletionFlyweight.writeBody(store, offset, i, 0, 0, 0, i * 3, 0, 0, ~i, 0);
                producer.publish();
            }
        }, "ring-device");
        final Thread driver = new Thread(() ->
        {
            long total = 0;
            for (int i = 0; i < count; i++)
            {
                long entry;
                while ((entry = consumer.peek()) < 0)
                {
                    Thread.onSpinWait();
                }
                final long index = CompletionFlyweight.descriptorIndex(store, entry);
                if (index != i || CompletionFlyweight.byteCount(store, entry) != 3L * i ||
                    CompletionFlyweight.rssHash(store, entry) != ~i)
                {
                    failure.compareAndSet(null, "entry " + i + " read as index " + index);
                }
                total += index;
                consumer.advance();
                if ((i & 15) == 15)
                {
                    consumer.commitHead();
                }
            }
            consumer.commitHead();
            sum.set(total);
        }, "ring-driver");
        // Daemons: a hung run fails on the join timeout without keeping the test JVM alive.
        device.setDaemon(true);
        driver.setDaemon(true);
        device.start();
        driver.start();
        device.join(15_000);
        driver.join(15_000);
        assertFalse(device.isAlive() || driver.isAlive(), "threads finished");
        assertEquals(null, failure.get());
        assertEquals((long)count * (count - 1) / 2, sum.get());
        memory.free(iova);
        assertEquals(0, store.refCount(), "direct ring memory released");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldHandOffDescriptorsThroughTailDoorbellBetweenTwoThreads() throws InterruptedException
    {
        final long iova = memory.allocate(32 * TxDescriptorFlyweight.LENGTH, HostMemory.Placement.DIRECT);
        final BytesStore<?, ?> store = memory.storeOf(iova);
        final Ring ring = new Ring(store, memory.offsetOf(iova), 32, TxDescriptorFlyweight.LENGTH);
        final RingIndex tail = RingIndex.cell();
        final RingIndex head = RingIndex.cell();
        final SubmissionProducer producer = new SubmissionProducer(ring, tail, head);
        final SubmissionConsumer consumer = new SubmissionConsumer(ring, tail, head);
        final int count = 200_000;
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread driver = new Thread(() ->
        {
            for (int i = 0; i < count; i++)
            {
                long offset;
                while ((offset = producer.claim()) < 0)
                {
                    Thread.onSpinWait();
                }
                TxDescriptorFlyweight.write(store, offset, i, i * 5, TxDescriptorFlyweight.FLAG_EOP, 0, ~i, 0, 0);
                if ((i & 7) == 7 || i == count - 1)
                {
                    producer.publish();
                }
            }
        }, "ring-driver");
        final Thread device = new Thread(() ->
        {
            for (int i = 0; i < count; i++)
            {
                long entry;
                while ((entry = consumer.peek()) < 0)
                {
                    Thread.onSpinWait();
                }
                if (TxDescriptorFlyweight.bufferAddress(store, entry) != i ||
                    TxDescriptorFlyweight.bufferLength(store, entry) != 5L * i ||
                    TxDescriptorFlyweight.tlsContextId(store, entry) != ~i)
                {
                    failure.compareAndSet(null, "descriptor " + i + " read as " +
                        TxDescriptorFlyweight.bufferAddress(store, entry));
                }
                consumer.advance();
                consumer.commitHead();
            }
        }, "ring-device");
        // Daemons: a hung run fails on the join timeout without keeping the test JVM alive.
        device.setDaemon(true);
        driver.setDaemon(true);
        device.start();
        driver.start();
        driver.join(15_000);
        device.join(15_000);
        assertFalse(device.isAlive() || driver.isAlive(), "threads finished");
        assertEquals(null, failure.get());
        assertEquals(count, head.get());
        memory.free(iova);
        assertEquals(0, store.refCount(), "direct ring memory released");
    }

    private Ring ring(final int capacity, final int entryLength)
    {
        final long iova = memory.allocate(capacity * entryLength);
        return new Ring(memory.storeOf(iova), memory.offsetOf(iova), capacity, entryLength);
    }

    private static void drain(final SubmissionConsumer consumer, final Ring ring, final long from, final long to)
    {
        long expected = from;
        long entry;
        while ((entry = consumer.peek()) >= 0)
        {
            assertEquals(expected++, RxDescriptorFlyweight.bufferAddress(ring.store(), entry));
            consumer.advance();
        }
        consumer.commitHead();
        assertEquals(to, expected);
    }
}
