package io.tlsnic.stack.tls;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.LongToIntFunction;

/**
 * Two {@link TcpTransport} endpoints joined in memory, driven by hand: {@link #deliver()} moves everything one
 * endpoint sent into the other's receive queue, cut into chunks by a {@link Chunker} (so records split at every
 * awkward boundary), and then acknowledges it (the send buffer empties). No threads, no clocks.
 */
final class PipeTransport implements TcpTransport
{
    private static final long SEQ_MASK = 0xFFFF_FFFFL;

    /** Chunk sizes for delivery. */
    interface Chunker
    {
        /**
         * @param remaining bytes still to cut, at least 1.
         * @return next chunk size, 1..remaining.
         */
        int next(int remaining);

        static Chunker whole()
        {
            return remaining -> remaining;
        }

        static Chunker fixed(final int size)
        {
            return remaining -> Math.min(size, remaining);
        }

        /** Mostly tiny chunks (1..8 bytes) mixed with large ones, from a seeded random. */
        static Chunker random(final long seed, final int max)
        {
            final Random random = new Random(seed);
            return remaining -> Math.min(remaining, random.nextInt(4) == 0 ? 1 + random.nextInt(8) : 1 + random.nextInt(max));
        }
    }

    private static final class Chunk
    {
        final long seq;
        final byte[] bytes;
        final int mark;

        Chunk(final long seq, final byte[] bytes, final int mark)
        {
            this.seq = seq;
            this.bytes = bytes;
            this.mark = mark;
        }
    }

    private final int sendBufferLimit;
    private final Chunker chunker;
    private PipeTransport peer;
    private boolean established = true;
    private long writeSeq;
    private byte[] outbound = new byte[1024];
    private int outboundLength;
    private boolean shutdownRequested;
    private boolean finSent;
    private boolean closed;
    private final ArrayDeque<Chunk> receiveQueue = new ArrayDeque<>();
    private int headOffset;
    private int readable;
    private long rcvNext;
    private boolean finReceived;
    private Listener listener;
    private LongToIntFunction marker = seq -> MARK_NONE;

    private PipeTransport(final int sendBufferLimit, final Chunker chunker, final long isn)
    {
        this.sendBufferLimit = sendBufferLimit;
        this.chunker = chunker;
        this.writeSeq = isn;
    }

    /**
     * @param sendBufferLimit bytes each endpoint holds before it is delivered.
     * @param chunkerAtoB     how bytes from a arrive at b.
     * @param chunkerBtoA     how bytes from b arrive at a.
     * @param isnA            a's first sequence number.
     * @param isnB            b's first sequence number.
     * @return {a, b}.
     */
    static PipeTransport[] pair(
        final int sendBufferLimit, final Chunker chunkerAtoB, final Chunker chunkerBtoA, final long isnA,
        final long isnB)
    {
        final PipeTransport a = new PipeTransport(sendBufferLimit, chunkerAtoB, isnA);
        final PipeTransport b = new PipeTransport(sendBufferLimit, chunkerBtoA, isnB);
        a.peer = b;
        b.peer = a;
        a.rcvNext = isnB;
        b.rcvNext = isnA;
        return new PipeTransport[] {a, b};
    }

    static PipeTransport[] pair(final int sendBufferLimit, final Chunker chunker)
    {
        return pair(sendBufferLimit, chunker, chunker, 1000, 0xFFFF_F000L);
    }

    void established(final boolean value)
    {
        established = value;
    }

    /** @param marker device mark of the chunk starting at a sequence number, for chunks this endpoint receives. */
    void marker(final LongToIntFunction marker)
    {
        this.marker = marker;
    }

    /**
     * Moves all bytes sent so far (and a requested FIN) to the peer, then acknowledges them.
     *
     * @return bytes moved.
     */
    int deliver()
    {
        final int moved = outboundLength;
        int at = 0;
        while (at < moved)
        {
            final int n = chunker.next(moved - at);
            final byte[] bytes = java.util.Arrays.copyOfRange(outbound, at, at + n);
            peer.receiveQueue.addLast(new Chunk(peer.rcvNext, bytes, peer.marker.applyAsInt(peer.rcvNext)));
            peer.rcvNext = (peer.rcvNext + n) & SEQ_MASK;
            peer.readable += n;
            at += n;
        }
        outboundLength = 0;
        boolean finNow = false;
        if (shutdownRequested && !finSent)
        {
            finSent = true;
            peer.finReceived = true;
            finNow = true;
        }
        if ((moved > 0 || finNow) && peer.listener != null)
        {
            peer.listener.onReadable();
        }
        if (moved > 0 && listener != null)
        {
            listener.onAckAdvanced(writeSeq);
            listener.onWritable();
        }
        return moved;
    }

    /** Delivers both ways until nothing moves. @return bytes moved. */
    static int pump(final PipeTransport a, final PipeTransport b)
    {
        int total = 0;
        int moved;
        do
        {
            moved = a.deliver() + b.deliver();
            total += moved;
        }
        while (moved > 0);
        return total;
    }

    @Override
    public boolean isEstablished()
    {
        return established && !closed;
    }

    @Override
    public int send(final byte[] b, final int off, final int len)
    {
        if (shutdownRequested)
        {
            throw new IllegalStateException("send after FIN");
        }
        final int n = Math.min(len, sendSpace());
        if (outboundLength + n > outbound.length)
        {
            outbound = java.util.Arrays.copyOf(outbound, Math.max(outbound.length * 2, outboundLength + n));
        }
        System.arraycopy(b, off, outbound, outboundLength, n);
        outboundLength += n;
        writeSeq = (writeSeq + n) & SEQ_MASK;
        return n;
    }

    @Override
    public int sendSpace()
    {
        return shutdownRequested ? 0 : Math.max(0, sendBufferLimit - outboundLength);
    }

    @Override
    public long writeSeq()
    {
        return writeSeq;
    }

    @Override
    public int readableBytes()
    {
        return readable;
    }

    @Override
    public void forEachReadableChunk(final ChunkVisitor visitor)
    {
        boolean first = true;
        for (final Chunk chunk : receiveQueue)
        {
            final int skip = first ? headOffset : 0;
            first = false;
            if (!visitor.onChunk((chunk.seq + skip) & SEQ_MASK, chunk.bytes, skip, chunk.bytes.length - skip, chunk.mark))
            {
                return;
            }
        }
    }

    @Override
    public void consume(final int n)
    {
        if (n < 0 || n > readable)
        {
            throw new IllegalArgumentException("consume " + n + " of " + readable + " readable bytes");
        }
        readable -= n;
        int left = n;
        while (left > 0)
        {
            final Chunk head = receiveQueue.peekFirst();
            final int inHead = head.bytes.length - headOffset;
            if (left >= inHead)
            {
                receiveQueue.pollFirst();
                headOffset = 0;
                left -= inHead;
            }
            else
            {
                headOffset += left;
                left = 0;
            }
        }
    }

    @Override
    public boolean finReceived()
    {
        return finReceived;
    }

    @Override
    public void shutdownOutput()
    {
        shutdownRequested = true;
    }

    @Override
    public void close()
    {
        shutdownRequested = true;
        closed = true;
    }

    boolean isClosed()
    {
        return closed;
    }

    @Override
    public void setListener(final Listener listener)
    {
        this.listener = listener;
    }

    /** @return every readable byte, consumed (for a raw, non-TLS endpoint). */
    byte[] drain()
    {
        final byte[] all = new byte[readable];
        final int[] at = {0};
        forEachReadableChunk((seq, buffer, offset, length, mark) ->
        {
            System.arraycopy(buffer, offset, all, at[0], length);
            at[0] += length;
            return true;
        });
        consume(all.length);
        return all;
    }
}
