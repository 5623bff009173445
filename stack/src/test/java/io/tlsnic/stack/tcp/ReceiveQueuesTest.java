package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReceiveQueuesTest
{
    private static final byte[] BYTES = new byte[256];

    static
    {
        for (int i = 0; i < BYTES.length; i++)
        {
            BYTES[i] = (byte)i;
        }
    }

    @Test
    void shouldKeepAdjacentChunksWithDifferentMarksApart()
    {
        final ReceiveQueue q = new ReceiveQueue();
        q.reset(100);
        q.append(new ReceivedChunk(100, BYTES, 0, 10, TcpSegment.MARK_DECRYPTED));
        q.append(new ReceivedChunk(110, BYTES, 10, 10, TcpSegment.MARK_NONE));
        q.append(new ReceivedChunk(120, BYTES, 20, 10, TcpSegment.MARK_DECRYPTED));

        final List<String> seen = new ArrayList<>();
        q.forEach((seq, data, offset, length, mark) -> seen.add(seq + "+" + length + "/" + mark) || true);

        assertEquals(List.of("100+10/1", "110+10/0", "120+10/1"), seen);
        assertEquals(30, q.readableBytes());
    }

    @Test
    void shouldConsumeAndReadAcrossChunkBoundaries()
    {
        final ReceiveQueue q = new ReceiveQueue();
        q.reset(-5);
        q.append(new ReceivedChunk(-5, BYTES, 0, 10, 1));
        q.append(new ReceivedChunk(5, BYTES, 10, 10, 2));

        q.consume(7);
        final List<String> seen = new ArrayList<>();
        q.forEach((seq, data, offset, length, mark) -> seen.add(seq + "+" + length + "@" + data[offset]) || true);
        assertEquals(List.of("2+3@7", "5+10@10"), seen);

        final byte[] out = new byte[8];
        assertEquals(8, q.read(out, 0, 8));
        assertArrayEquals(new byte[] {7, 8, 9, 10, 11, 12, 13, 14}, out);
        assertEquals(10, q.readSeq());
        assertEquals(5, q.readableBytes());
        assertThrows(IllegalArgumentException.class, () -> q.consume(6));
        assertThrows(IllegalStateException.class, () -> q.append(new ReceivedChunk(99, BYTES, 0, 1, 0)));
    }

    @Test
    void shouldKeepFirstArrivalsAndFillOnlyGapsWhenOutOfOrderSegmentsOverlap()
    {
        final OutOfOrderQueue q = new OutOfOrderQueue();
        assertEquals(10, q.insert(120, BYTES, 20, 10, 1));
        assertEquals(10, q.insert(140, BYTES, 40, 10, 1));
        assertEquals(20, q.insert(115, BYTES, 15, 40, 2), "only [115,120) [130,140) [150,155) are new");
        assertEquals(0, q.insert(125, BYTES, 25, 10, 0));
        assertEquals(40, q.bytes());

        assertNull(q.pollInOrder(110), "gap before 115");
        final List<String> delivered = new ArrayList<>();
        ReceivedChunk c;
        int next = 117;
        while ((c = q.pollInOrder(next)) != null)
        {
            delivered.add(c.seq + "+" + c.length + "/" + c.mark + "@" + c.data[c.offset]);
            next = c.endSeq();
        }
        assertEquals(List.of("117+3/2@17", "120+10/1@20", "130+10/2@30", "140+10/1@40", "150+5/2@50"), delivered);
        assertEquals(0, q.bytes());
    }

    @Test
    void shouldReportTheMostRecentSackBlockFirst()
    {
        final OutOfOrderQueue q = new OutOfOrderQueue();
        q.insert(200, BYTES, 0, 10, 0);
        q.insert(300, BYTES, 0, 10, 0);
        q.insert(400, BYTES, 0, 10, 0);
        q.insert(310, BYTES, 0, 10, 0);

        final int[] out = new int[8];
        final int n = q.sackBlocks(100, 3, out, 0);

        assertEquals(3, n);
        assertArrayEquals(new int[] {300, 320, 400, 410, 200, 210, 0, 0}, out);
    }

    @Test
    void shouldReleaseEveryArrayAsOftenAsItRetainedItWhateverPathItsChunksTook()
    {
        final java.util.IdentityHashMap<byte[], int[]> references = new java.util.IdentityHashMap<>();
        final ReceiveBuffers counting = new ReceiveBuffers()
        {
            @Override
            public void retain(final byte[] data)
            {
                references.computeIfAbsent(data, d -> new int[1])[0]++;
            }

            @Override
            public void release(final byte[] data)
            {
                final int[] n = references.get(data);
                assertEquals(true, n != null && n[0] > 0, "released more often than retained");
                n[0]--;
            }
        };
        final ReceiveQueue q = new ReceiveQueue();
        final OutOfOrderQueue ofo = new OutOfOrderQueue();
        q.setBuffers(counting);
        ofo.setBuffers(counting);
        q.reset(0);
        final byte[] a = BYTES.clone();
        final byte[] b = BYTES.clone();
        final byte[] c = BYTES.clone();
        // b arrives first, out of order, then c overlapping it on both sides (two chunks of c around b's block),
        // then a fills the gap and overlaps c's first chunk, which is trimmed.
        ofo.insert(20, b, 20, 10, 0);
        ofo.insert(10, c, 10, 40, 0);
        q.append(0, a, 0, 15, 0);
        ReceivedChunk next;
        int rcvNxt = 15;
        while ((next = ofo.pollInOrder(rcvNxt)) != null)
        {
            q.append(next);
            rcvNxt = next.endSeq();
        }
        assertEquals(50, rcvNxt);
        final byte[] out = new byte[50];
        assertEquals(20, q.read(out, 0, 20));
        q.consume(5);
        q.reset(50); // the rest dropped unread, as when the connection goes away
        for (final var e : references.entrySet())
        {
            assertEquals(0, e.getValue()[0], "every reference released");
        }
        assertEquals(3, references.size());
    }
}
