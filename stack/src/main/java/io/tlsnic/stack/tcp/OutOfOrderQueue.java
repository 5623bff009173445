package io.tlsnic.stack.tcp;

import java.util.ArrayList;

/**
 * Received data beyond RCV.NXT, sorted by sequence number and never overlapping: where a segment overlaps bytes
 * already queued, the queued bytes (and their mark) are kept and only the gaps are filled from the new segment.
 * It also remembers the order in which blocks last received data, to build SACK blocks with the most recent
 * first (RFC 2018 section 4).
 */
final class OutOfOrderQueue
{
    private static final int RECENT_LIMIT = 2 * TcpSegment.MAX_SACK_BLOCKS;

    private final ArrayList<ReceivedChunk> chunks = new ArrayList<>();
    /** Sequence numbers of recent arrivals, most recent first; each names the block containing it. */
    private final ArrayList<Integer> recentArrivals = new ArrayList<>();
    private int bytes;
    private ReceiveBuffers buffers = ReceiveBuffers.UNPOOLED;

    /** @param buffers told when a chunk is created from a segment's array and when one is dropped. */
    void setBuffers(final ReceiveBuffers buffers)
    {
        this.buffers = buffers;
    }

    boolean isEmpty()
    {
        return chunks.isEmpty();
    }

    /** @return bytes held. */
    int bytes()
    {
        return bytes;
    }

    void clear()
    {
        for (final ReceivedChunk c : chunks)
        {
            buffers.release(c.data);
        }
        chunks.clear();
        recentArrivals.clear();
        bytes = 0;
    }

    /**
     * Stores the parts of {@code [seq, seq + length)} not yet held.
     *
     * @return bytes newly stored; 0 when every byte was already held.
     */
    int insert(final int seq, final byte[] data, final int offset, final int length, final int mark)
    {
        final int end = Seq.add(seq, length);
        int cursor = seq;
        int stored = 0;
        int i = 0;
        while (i < chunks.size() && Seq.before(cursor, end))
        {
            final ReceivedChunk c = chunks.get(i);
            if (Seq.beforeOrAt(c.endSeq(), cursor))
            {
                i++;
                continue;
            }
            if (Seq.afterOrAt(c.seq, end))
            {
                break;
            }
            if (Seq.before(cursor, c.seq))
            {
                final int n = Seq.diff(c.seq, cursor);
                chunks.add(i, new ReceivedChunk(cursor, data, offset + Seq.diff(cursor, seq), n, mark));
                buffers.retain(data);
                stored += n;
                i++;
            }
            cursor = Seq.max(cursor, c.endSeq());
            i++;
        }
        if (Seq.before(cursor, end))
        {
            final int n = Seq.diff(end, cursor);
            chunks.add(i, new ReceivedChunk(cursor, data, offset + Seq.diff(cursor, seq), n, mark));
            buffers.retain(data);
            stored += n;
        }
        bytes += stored;
        recentArrivals.remove(Integer.valueOf(seq));
        recentArrivals.add(0, seq);
        if (recentArrivals.size() > RECENT_LIMIT)
        {
            recentArrivals.remove(recentArrivals.size() - 1);
        }
        return stored;
    }

    /**
     * Removes and returns the first chunk if it holds data at or before {@code rcvNxt}, trimmed to start at
     * {@code rcvNxt}, and with it the chunk's retain of its array; chunks entirely before {@code rcvNxt} are
     * discarded (and released) on the way.
     *
     * @return the chunk to deliver, or {@code null} when the head of the queue is still beyond a gap.
     */
    ReceivedChunk pollInOrder(final int rcvNxt)
    {
        while (!chunks.isEmpty())
        {
            final ReceivedChunk c = chunks.get(0);
            if (Seq.after(c.seq, rcvNxt))
            {
                return null;
            }
            chunks.remove(0);
            bytes -= c.length;
            if (Seq.after(c.endSeq(), rcvNxt))
            {
                c.trimFront(Seq.diff(rcvNxt, c.seq));
                return c;
            }
            buffers.release(c.data);
        }
        return null;
    }

    /**
     * SACK blocks for the next ACK: the block holding the most recent arrival first, then other recently
     * reported blocks (RFC 2018 section 4), each extended to its full contiguous extent.
     *
     * @param rcvNxt blocks at or before it are gone and skipped.
     * @param maxBlocks room in the option.
     * @param out receives (start, end) pairs.
     * @param outOffset where in {@code out} to start writing (after a D-SACK block).
     * @return number of blocks written.
     */
    int sackBlocks(final int rcvNxt, final int maxBlocks, final int[] out, final int outOffset)
    {
        int n = 0;
        for (int r = 0; r < recentArrivals.size() && n < maxBlocks; r++)
        {
            final int seq = recentArrivals.get(r);
            final int index = indexContaining(seq);
            if (index < 0 || Seq.beforeOrAt(seq, rcvNxt))
            {
                continue;
            }
            int first = index;
            while (first > 0 && chunks.get(first - 1).endSeq() == chunks.get(first).seq)
            {
                first--;
            }
            int last = index;
            while (last + 1 < chunks.size() && chunks.get(last).endSeq() == chunks.get(last + 1).seq)
            {
                last++;
            }
            final int start = chunks.get(first).seq;
            final int end = chunks.get(last).endSeq();
            boolean seen = false;
            for (int k = 0; k < n; k++)
            {
                seen |= out[outOffset + 2 * k] == start;
            }
            if (!seen)
            {
                out[outOffset + 2 * n] = start;
                out[outOffset + 2 * n + 1] = end;
                n++;
            }
        }
        return n;
    }

    private int indexContaining(final int seq)
    {
        for (int i = 0; i < chunks.size(); i++)
        {
            final ReceivedChunk c = chunks.get(i);
            if (Seq.inRange(seq, c.seq, c.endSeq()))
            {
                return i;
            }
        }
        return -1;
    }
}
