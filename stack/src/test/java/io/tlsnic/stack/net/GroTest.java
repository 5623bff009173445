package io.tlsnic.stack.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tlsnic.stack.tcp.TcpSegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroTest
{
    private static final int MSS = 1448;
    private static final String FLOW = "flow";

    private final List<TcpSegment> delivered = new ArrayList<>();
    /** Keeps what it delivers, as TCP queues it: retaining the array, so that a pooled one is not reused. */
    private final Gro<String> gro = new Gro<>((to, s) ->
    {
        delivered.add(s);
        retainDelivered(s);
    });

    private void retainDelivered(final TcpSegment s)
    {
        gro.buffers().retain(s.payload());
    }

    @Test
    void shouldMergeAPollsInOrderFullSegmentsIntoOneCountedAsTheSegmentsItWas()
    {
        for (int i = 0; i < 5; i++)
        {
            gro.receive(FLOW, data(1000 + i * MSS, MSS, 0).build(), false);
        }
        assertTrue(delivered.isEmpty(), "held until the poll ends");
        gro.flush();
        assertEquals(1, delivered.size());
        final TcpSegment merged = delivered.get(0);
        assertEquals(1000, merged.seq());
        assertEquals(5 * MSS, merged.payloadLength());
        assertEquals(MSS, merged.tsoMss(), "gso_size: TCP counts five segments");
        assertArrayEquals(bytes(1000, 5 * MSS), Arrays.copyOfRange(merged.payload(), merged.payloadOffset(),
            merged.payloadOffset() + merged.payloadLength()), "every byte in order");
    }

    @Test
    void shouldHandUpALoneSegmentAsItCame()
    {
        final TcpSegment s = data(1000, MSS, 0).build();
        gro.receive(FLOW, s, false);
        gro.flush();
        assertEquals(List.of(s), delivered);
        gro.flush();
        assertEquals(1, delivered.size(), "nothing held twice");
    }

    @Test
    void shouldNeverMergeSegmentsTheDeviceMarkedDifferently()
    {
        gro.receive(FLOW, data(1000, MSS, TcpSegment.MARK_DECRYPTED).build(), false);
        gro.receive(FLOW, data(1000 + MSS, MSS, TcpSegment.MARK_NONE).build(), false);
        gro.receive(FLOW, data(1000 + 2 * MSS, MSS, TcpSegment.MARK_NONE).build(), false);
        gro.flush();
        assertEquals(2, delivered.size());
        assertEquals(TcpSegment.MARK_DECRYPTED, delivered.get(0).mark());
        assertEquals(MSS, delivered.get(0).payloadLength());
        assertEquals(TcpSegment.MARK_NONE, delivered.get(1).mark());
        assertEquals(2 * MSS, delivered.get(1).payloadLength());
    }

    @Test
    void shouldEndAMergeAtAPushOrAShortSegmentAndDeliverAtOnce()
    {
        gro.receive(FLOW, data(1000, MSS, 0).build(), false);
        gro.receive(FLOW, data(1000 + MSS, 100, 0).build(), false);
        assertEquals(1, delivered.size(), "a short segment is the last of its merge");
        assertEquals(MSS + 100, delivered.get(0).payloadLength());

        gro.receive(FLOW, data(2548, MSS, 0).build(), false);
        gro.receive(FLOW, data(2548 + MSS, MSS, 0).flags(TcpSegment.ACK | TcpSegment.PSH).build(), false);
        assertEquals(2, delivered.size(), "PSH ends the merge");
        assertEquals(TcpSegment.ACK | TcpSegment.PSH, delivered.get(1).flags(), "and its flag goes up");

        gro.receive(FLOW, data(9000, MSS, 0).flags(TcpSegment.ACK | TcpSegment.PSH).build(), false);
        assertEquals(3, delivered.size(), "a pushed segment is never held");
    }

    @Test
    void shouldFlushWhatItHoldsBeforeASegmentThatDoesNotContinueIt()
    {
        gro.receive(FLOW, data(1000, MSS, 0).build(), false);
        gro.receive(FLOW, data(1000 + 2 * MSS, MSS, 0).build(), false);
        assertEquals(1, delivered.size(), "a gap");
        gro.receive(FLOW, data(1000 + 3 * MSS, MSS, 0).ack(7).build(), false);
        assertEquals(2, delivered.size(), "another ACK number");
        gro.receive("other flow", data(1000 + 4 * MSS, MSS, 0).ack(7).build(), false);
        assertEquals(3, delivered.size(), "another connection");
        gro.receive("other flow", data(1000 + 5 * MSS, MSS, 0).ack(7).timestamps(5, 6).build(), false);
        assertEquals(4, delivered.size(), "other options");
        gro.receive("other flow", TcpSegment.builder().ports(443, 40000).seq(1000 + 6 * MSS).ack(7)
            .flags(TcpSegment.ACK).window(100).timestamps(5, 6).sackBlocks(new int[] {1, 2}).build(), false);
        assertEquals(6, delivered.size(), "a pure ACK with SACK flushes and goes up itself");
        gro.flush();
        assertEquals(6, delivered.size());
    }

    @Test
    void shouldCopyALentPayloadBeforeTheDeviceGetsItsBufferBack()
    {
        final byte[] rxBuffer = new byte[2048];
        for (int i = 0; i < 3; i++)
        {
            System.arraycopy(bytes(1000 + i * MSS, MSS), 0, rxBuffer, 66, MSS);
            gro.receive(FLOW, data(1000 + i * MSS, 0, 0).payload(rxBuffer, 66, MSS).build(), true);
            Arrays.fill(rxBuffer, (byte)0x55); // the device reuses its buffer
        }
        System.arraycopy(bytes(1000 + 3 * MSS, 10), 0, rxBuffer, 66, 10);
        gro.receive(FLOW, data(1000 + 3 * MSS, 0, 0).payload(rxBuffer, 66, 10).flags(TcpSegment.ACK | TcpSegment.PSH)
            .build(), true);
        Arrays.fill(rxBuffer, (byte)0x55);
        System.arraycopy(bytes(9000, 5), 0, rxBuffer, 66, 5);
        gro.receive(FLOW, data(9000, 0, 0).payload(rxBuffer, 66, 5).flags(TcpSegment.ACK | TcpSegment.PSH).build(),
            true);
        Arrays.fill(rxBuffer, (byte)0x55);
        System.arraycopy(bytes(9005, 7), 0, rxBuffer, 66, 7);
        gro.receive(FLOW, data(9005, 0, 0).payload(rxBuffer, 66, 7).build(), true);
        Arrays.fill(rxBuffer, (byte)0x55);
        gro.flush();

        assertEquals(3, delivered.size());
        assertArrayEquals(bytes(1000, 3 * MSS + 10), payloadOf(delivered.get(0)), "merged, copied as it came");
        assertArrayEquals(bytes(9000, 5), payloadOf(delivered.get(1)), "delivered at once, copied first");
        assertArrayEquals(bytes(9005, 7), payloadOf(delivered.get(2)), "held alone, copied when held");
        assertEquals(7, delivered.get(2).payload().length, "into an array of its own size");
    }

    @Test
    void shouldStopMergingBelowSixtyFourKibibytes()
    {
        for (int i = 0; i < 50; i++)
        {
            gro.receive(FLOW, data(i * MSS, MSS, 0).build(), false);
        }
        gro.flush();
        int total = 0;
        for (final TcpSegment s : delivered)
        {
            assertTrue(s.payloadLength() <= Gro.MAX_LENGTH);
            assertEquals(total, s.seq(), "in order, nothing lost or repeated");
            total += s.payloadLength();
        }
        assertEquals(50 * MSS, total);
        assertEquals(2, delivered.size(), "45 segments fit in one merge, 5 in the next");
    }

    @Test
    void shouldReuseAMergeBufferOnlyOnceTcpHasDroppedEveryReferenceToIt()
    {
        final List<TcpSegment> kept = new ArrayList<>();
        final Gro<String> pooled = new Gro<>((to, s) -> kept.add(s));
        final Gro<String> keeping = new Gro<>((to, s) ->
        {
            kept.add(s);
            pooledRetain(s); // TCP queues the payload: one chunk, maybe two (out of order, around a held block)
        });
        // A merge TCP did not keep goes back to the pool when the poll ends, and the next merge reuses it.
        lentMerge(pooled, 1000, 3);
        assertEquals(1, pooled.freeBuffers());
        lentMerge(pooled, 1000 + 3 * MSS, 3);
        assertEquals(1, pooled.freeBuffers(), "the same buffer again, no second one");

        // A merge TCP keeps is never written over while any chunk refers to it.
        retaining = keeping;
        lentMerge(keeping, 1000, 4);
        final TcpSegment first = kept.get(kept.size() - 1);
        assertEquals(0, keeping.freeBuffers(), "TCP holds it twice");
        lentMerge(keeping, 1000 + 4 * MSS, 4);
        final TcpSegment second = kept.get(kept.size() - 1);
        assertTrue(first.payload() != second.payload(), "the second merge took a new buffer");
        assertArrayEquals(bytes(1000, 4 * MSS), payloadOf(first), "the first merge's bytes are intact");
        keeping.buffers().release(first.payload());
        assertEquals(0, keeping.freeBuffers(), "one chunk still refers to it");
        keeping.buffers().release(first.payload());
        assertEquals(1, keeping.freeBuffers(), "the last reference dropped: back in the pool");
        keeping.buffers().release(new byte[Gro.MAX_LENGTH]);
        keeping.buffers().retain(new byte[Gro.MAX_LENGTH]);
        assertEquals(1, keeping.freeBuffers(), "arrays the pool did not hand out are not its business");
    }

    private Gro<String> retaining;

    private void pooledRetain(final TcpSegment s)
    {
        retaining.buffers().retain(s.payload());
        retaining.buffers().retain(s.payload());
    }

    /** {@code count} full segments from the device's (lent) buffer, merged, then the poll ends. */
    private static void lentMerge(final Gro<String> gro, final int seq, final int count)
    {
        final byte[] rxBuffer = new byte[2048];
        for (int i = 0; i < count; i++)
        {
            System.arraycopy(bytes(seq + i * MSS, MSS), 0, rxBuffer, 66, MSS);
            gro.receive(FLOW, data(seq + i * MSS, 0, 0).payload(rxBuffer, 66, MSS).build(), true);
            Arrays.fill(rxBuffer, (byte)0x55);
        }
        gro.flush();
    }

    private static byte[] payloadOf(final TcpSegment s)
    {
        return Arrays.copyOfRange(s.payload(), s.payloadOffset(), s.payloadOffset() + s.payloadLength());
    }

    private static TcpSegment.Builder data(final int seq, final int length, final int mark)
    {
        return TcpSegment.builder().ports(443, 40000).seq(seq).ack(5).flags(TcpSegment.ACK).window(100)
            .payload(bytes(seq, length), 0, length).mark(mark);
    }

    /** Payload bytes named by their sequence number, so that a misplaced byte shows. */
    private static byte[] bytes(final int seq, final int length)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)((seq + i) * 31 >>> 3);
        }
        return b;
    }
}
