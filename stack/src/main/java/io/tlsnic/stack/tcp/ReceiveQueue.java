package io.tlsnic.stack.tcp;

import java.util.ArrayDeque;

/**
 * In-order received data not yet read by the application, kept as the chunks it arrived in, each with its device
 * mark. Chunks are never merged, so bytes with different marks never share a chunk (OFFLOAD-CONTRACT section 5:
 * "the stack never merges decrypted and non-decrypted packets into one buffer").
 */
final class ReceiveQueue
{
    private final ArrayDeque<ReceivedChunk> chunks = new ArrayDeque<>();
    private ReceiveBuffers buffers = ReceiveBuffers.UNPOOLED;
    private int readSeq;
    private int readableBytes;

    /** @param firstSeq sequence number of the first data byte the peer will send (IRS + 1). */
    void reset(final int firstSeq)
    {
        clear();
        readSeq = firstSeq;
    }

    /** @param buffers told when a chunk is created from a segment's array and when one is dropped. */
    void setBuffers(final ReceiveBuffers buffers)
    {
        this.buffers = buffers;
    }

    /** Drops every chunk. */
    void clear()
    {
        ReceivedChunk c;
        while ((c = chunks.pollFirst()) != null)
        {
            buffers.release(c.data);
        }
        readableBytes = 0;
    }

    /** @return sequence number of the first unread byte. */
    int readSeq()
    {
        return readSeq;
    }

    int readableBytes()
    {
        return readableBytes;
    }

    /**
     * Appends new bytes from a segment's array (retained for the chunk that now refers to it); they must start where
     * the queue ends.
     */
    void append(final int seq, final byte[] data, final int offset, final int length, final int mark)
    {
        buffers.retain(data);
        append(new ReceivedChunk(seq, data, offset, length, mark));
    }

    /**
     * Appends a chunk moved from the out-of-order queue, with the retain it already holds; it must start where the
     * queue ends.
     */
    void append(final ReceivedChunk chunk)
    {
        final int tail = Seq.add(readSeq, readableBytes);
        if (chunk.seq != tail)
        {
            throw new IllegalStateException("chunk at seq " + Seq.toUnsigned(chunk.seq) + " appended to queue ending at " +
                Seq.toUnsigned(tail));
        }
        chunks.addLast(chunk);
        readableBytes += chunk.length;
    }

    void forEach(final ChunkVisitor visitor)
    {
        for (final ReceivedChunk c : chunks)
        {
            if (!visitor.onChunk(c.seq, c.data, c.offset, c.length, c.mark))
            {
                return;
            }
        }
    }

    /** Drops the first {@code n} readable bytes. */
    void consume(final int n)
    {
        if (n < 0 || n > readableBytes)
        {
            throw new IllegalArgumentException("consume " + n + " bytes of " + readableBytes + " readable");
        }
        int left = n;
        while (left > 0)
        {
            final ReceivedChunk head = chunks.peekFirst();
            if (head.length <= left)
            {
                left -= head.length;
                chunks.pollFirst();
                buffers.release(head.data);
            }
            else
            {
                head.trimFront(left);
                left = 0;
            }
        }
        readableBytes -= n;
        readSeq = Seq.add(readSeq, n);
    }

    /** Copies up to {@code len} readable bytes into {@code dst} and consumes them; returns the count. */
    int read(final byte[] dst, final int offset, final int len)
    {
        int done = 0;
        for (final ReceivedChunk c : chunks)
        {
            if (done == len)
            {
                break;
            }
            final int n = Math.min(len - done, c.length);
            System.arraycopy(c.data, c.offset, dst, offset + done, n);
            done += n;
        }
        consume(done);
        return done;
    }
}
