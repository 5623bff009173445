package io.tlsnic.harness.replay;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles one direction of a TCP connection into its byte stream, as a receiver's TCP does: retransmitted and
 * duplicated bytes are delivered once (the first copy wins), segments that arrive early wait for the bytes before
 * them. Stream offsets count from the first byte after the SYN, or from the first segment seen when the capture
 * has no SYN; sequence numbers are unwrapped around the delivery point, so streams beyond 4 GiB work.
 * <p>
 * A hole that no segment ever fills (bytes the capture lost) stays open until {@link #finish()}, which reports it to
 * the sink as a gap and delivers what lies after it.
 */
public final class TcpReassembler
{
    private static final long SEQ_MASK = 0xFFFF_FFFFL;

    /** Receives the stream in order. */
    public interface StreamSink
    {
        /**
         * @param streamOffset offset of {@code data[offset]} in the stream.
         * @param data   bytes, valid only during the call (copy what you keep; do not modify).
         * @param offset first byte.
         * @param length byte count, at least 1.
         */
        void onData(long streamOffset, byte[] data, int offset, int length);

        /**
         * @param streamOffset first missing byte.
         * @param length       missing byte count, at least 1.
         */
        void onGap(long streamOffset, long length);
    }

    /** What a segment did to the stream. */
    public enum Arrival
    {
        /** No payload. */
        EMPTY,
        /** Extended the stream in order. */
        IN_ORDER,
        /** Arrived ahead of a hole and waits. */
        OUT_OF_ORDER,
        /** Only bytes already delivered or already waiting (a retransmission or duplicate). */
        DUPLICATE,
        /** Payload before the stream's start (before the SYN, or before the first segment of a SYN-less capture). */
        BEFORE_START
    }

    private final StreamSink sink;
    private final TreeMap<Long, byte[]> waiting = new TreeMap<>();
    private boolean started;
    private long initialSeq;
    private long nextOffset;

    /** @param sink receives the stream. */
    public TcpReassembler(final StreamSink sink)
    {
        this.sink = sink;
    }

    /**
     * @param seq     sequence number of the segment (of the SYN when {@code syn}).
     * @param syn     whether the SYN flag is set.
     * @param payload payload bytes (copied when they must wait).
     * @return what the segment did.
     */
    public Arrival accept(final long seq, final boolean syn, final byte[] payload)
    {
        return accept(seq, syn, payload, 0, payload.length);
    }

    /**
     * @param seq    sequence number of the segment (of the SYN when {@code syn}).
     * @param syn    whether the SYN flag is set.
     * @param data   holds the payload (its bytes are copied when they must wait).
     * @param offset first payload byte in {@code data}.
     * @param length payload byte count.
     * @return what the segment did.
     */
    public Arrival accept(final long seq, final boolean syn, final byte[] data, final int offset, final int length)
    {
        if (!started)
        {
            started = true;
            initialSeq = syn ? (seq + 1) & SEQ_MASK : seq;
        }
        final long dataSeq = syn ? (seq + 1) & SEQ_MASK : seq;
        if (length == 0)
        {
            return Arrival.EMPTY;
        }
        final long start = streamOffset(dataSeq);
        final long end = start + length;
        if (end <= 0)
        {
            return Arrival.BEFORE_START;
        }
        if (end <= nextOffset)
        {
            return Arrival.DUPLICATE;
        }
        if (start <= nextOffset)
        {
            final int skip = (int)(nextOffset - start);
            deliver(data, offset + skip, length - skip);
            drain();
            return Arrival.IN_ORDER;
        }
        final Map.Entry<Long, byte[]> floor = waiting.floorEntry(start);
        if (floor != null && floor.getKey() + floor.getValue().length >= end)
        {
            return Arrival.DUPLICATE;
        }
        final byte[] existing = waiting.get(start);
        if (existing == null || existing.length < length)
        {
            waiting.put(start, Arrays.copyOfRange(data, offset, offset + length));
        }
        return Arrival.OUT_OF_ORDER;
    }

    /** Reports every hole still open as a gap and delivers the bytes after it. */
    public void finish()
    {
        while (!waiting.isEmpty())
        {
            final long first = waiting.firstKey();
            if (first > nextOffset)
            {
                sink.onGap(nextOffset, first - nextOffset);
                nextOffset = first;
            }
            drain();
        }
    }

    /**
     * @param seq a sequence number of this direction.
     * @return its stream offset, unwrapped near the delivery point (negative before the start).
     */
    public long streamOffset(final long seq)
    {
        final long relative = (seq - initialSeq) & SEQ_MASK;
        final int delta = (int)(relative - (nextOffset & SEQ_MASK));
        return nextOffset + delta;
    }

    /**
     * @param streamOffset an offset in the stream.
     * @return its sequence number.
     */
    public long seq(final long streamOffset)
    {
        return (initialSeq + streamOffset) & SEQ_MASK;
    }

    /** @return whether a segment (or SYN) has fixed the initial sequence number. */
    public boolean started()
    {
        return started;
    }

    private void drain()
    {
        while (!waiting.isEmpty() && waiting.firstKey() <= nextOffset)
        {
            final Map.Entry<Long, byte[]> entry = waiting.pollFirstEntry();
            final long end = entry.getKey() + entry.getValue().length;
            if (end > nextOffset)
            {
                final int skip = (int)(nextOffset - entry.getKey());
                deliver(entry.getValue(), skip, entry.getValue().length - skip);
            }
        }
    }

    private void deliver(final byte[] data, final int offset, final int length)
    {
        final long at = nextOffset;
        nextOffset += length;
        sink.onData(at, data, offset, length);
    }
}
