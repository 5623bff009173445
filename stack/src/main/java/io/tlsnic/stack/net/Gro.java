package io.tlsnic.stack.net;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.WeakHashMap;
import java.util.function.BiConsumer;

import io.tlsnic.stack.tcp.ReceiveBuffers;
import io.tlsnic.stack.tcp.TcpSegment;

/**
 * Generic receive offload for TCP (Linux {@code net/core/gro.c}, {@code tcp_gro_receive}): in-order data segments of
 * one connection that arrive in the same device poll are merged into one segment before TCP sees them, so TCP
 * processes, and acknowledges, a poll's worth of a bulk flow at once.
 *
 * <p>Segments merge only as Linux merges them: consecutive sequence numbers; the same ACK, window and timestamps;
 * flags ACK alone (PSH is taken and ends the merge); no SACK blocks or SYN options; the same device mark (Linux
 * never merges skbs whose {@code skb->decrypted} differ); every segment but the last exactly as long as the first
 * (a shorter one is taken and ends the merge); at most 64 KiB in all. The merged segment carries the first
 * segment's length as its TSO size ({@code gso_size}), so TCP counts the segments on the wire. Anything else flushes
 * what is held and goes up as it came. The device's poll ends with {@link #flush()} ({@code napi_gro_flush}).
 *
 * <p>Merge buffers are pooled: TCP keeps a merged segment's array in its receive queue without copying it and
 * reports, through {@link #buffers()}, when it takes and drops references to it; an array goes back to the pool when
 * the last reference is dropped (usually when the application, or kTLS framing, has read it), so a bulk flow cycles
 * through a few 64 KiB arrays that stay in cache instead of allocating one per merge.
 *
 * @param <T> what a segment is delivered to (its connection).
 */
final class Gro<T>
{
    /** Most payload bytes of one merged segment (an IPv4 packet's limit, as Linux's {@code GRO_LEGACY_MAX_SIZE}). */
    static final int MAX_LENGTH = 65535 - 20 - 60;

    /** Most merge buffers kept for reuse (4 MiB). */
    private static final int FREE_LIMIT = 64;

    private final BiConsumer<T, TcpSegment> deliver;
    private T target;
    private TcpSegment first;
    private byte[] merged;
    /** Merge buffers no one refers to, most recently freed first. */
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    /**
     * References to each merge buffer handed out (GRO's own while it merges, one per TCP chunk), by identity
     * ({@code byte[]} keeps Object's equals and hash code); weak, so a buffer TCP drops without saying (a connection
     * closed with unread data) is collected rather than kept here.
     */
    private final WeakHashMap<byte[], int[]> references = new WeakHashMap<>();
    private final ReceiveBuffers buffers = new ReceiveBuffers()
    {
        @Override
        public void retain(final byte[] data)
        {
            final int[] count = references.get(data);
            if (count != null)
            {
                count[0]++;
            }
        }

        @Override
        public void release(final byte[] data)
        {
            Gro.this.release(data);
        }
    };
    private int length;
    private int segments;
    private int lastFlags;

    /** @param deliver hands a segment to its connection's TCP. */
    Gro(final BiConsumer<T, TcpSegment> deliver)
    {
        this.deliver = deliver;
    }

    /**
     * Takes one received segment: merged with the one held, held for the next, or delivered now.
     *
     * @param to its connection.
     * @param segment the segment.
     * @param lent whether its payload is only lent for this call (the device's RX buffer): it is then copied, into
     *     the merge or into an array of its own, before the call returns.
     */
    void receive(final T to, final TcpSegment segment, final boolean lent)
    {
        if (first != null)
        {
            if (to == target && appends(segment))
            {
                append(segment);
                if (segment.payloadLength() < first.payloadLength() || segment.has(TcpSegment.PSH)
                    || length + first.payloadLength() > MAX_LENGTH)
                {
                    flush();
                }
                return;
            }
            flush();
        }
        if (mergeable(segment) && !segment.has(TcpSegment.PSH))
        {
            target = to;
            first = segment;
            length = segment.payloadLength();
            segments = 1;
            lastFlags = segment.flags();
            if (lent)
            {
                startMerge();
            }
            return;
        }
        deliver.accept(to, lent ? owned(segment) : segment);
    }

    /** @return what TCP tells about the merge buffers it keeps (set on every connection this GRO feeds). */
    ReceiveBuffers buffers()
    {
        return buffers;
    }

    /** @return merge buffers waiting in the pool (for tests). */
    int freeBuffers()
    {
        return free.size();
    }

    /** @return the segment with its payload in an array of its own. */
    static TcpSegment owned(final TcpSegment s)
    {
        final int n = s.payloadLength();
        return n == 0 ? s : s.toBuilder()
            .payload(Arrays.copyOfRange(s.payload(), s.payloadOffset(), s.payloadOffset() + n), 0, n)
            .build();
    }

    /** Delivers what is held (the end of a device poll, or before a frame that must not pass it). */
    void flush()
    {
        if (first == null)
        {
            return;
        }
        final TcpSegment segment;
        final byte[] buffer = merged;
        if (buffer == null)
        {
            segment = first;
        }
        else if (segments == 1)
        {
            // A lone segment copied out of a lent buffer: an array of its size (it may wait long, out of order).
            segment = first.toBuilder().payload(Arrays.copyOf(buffer, length), 0, length).build();
        }
        else
        {
            segment = first.toBuilder().payload(buffer, 0, length).flags(lastFlags).tsoMss(first.payloadLength())
                .build();
        }
        final T to = target;
        first = null;
        target = null;
        merged = null;
        deliver.accept(to, segment);
        if (buffer != null)
        {
            release(buffer); // GRO's own reference: the buffer is free again unless TCP kept it
        }
    }

    private void release(final byte[] data)
    {
        final int[] count = references.get(data);
        if (count != null && --count[0] == 0)
        {
            references.remove(data);
            if (free.size() < FREE_LIMIT)
            {
                free.push(data);
            }
        }
    }

    private static boolean mergeable(final TcpSegment s)
    {
        return s.payloadLength() > 0 && (s.flags() & ~TcpSegment.PSH) == TcpSegment.ACK && s.sackBlockCount() == 0
            && s.mss() == 0 && s.windowScale() < 0 && !s.sackPermitted() && s.tsoMss() == 0;
    }

    private boolean appends(final TcpSegment s)
    {
        return mergeable(s)
            && s.seq() == first.seq() + length
            && s.ack() == first.ack()
            && s.window() == first.window()
            && s.hasTimestamps() == first.hasTimestamps()
            && (!s.hasTimestamps() || s.tsVal() == first.tsVal() && s.tsEcr() == first.tsEcr())
            && s.mark() == first.mark()
            && s.payloadLength() <= first.payloadLength()
            && length + s.payloadLength() <= MAX_LENGTH;
    }

    private void startMerge()
    {
        final byte[] reused = free.poll();
        merged = reused != null ? reused : new byte[MAX_LENGTH];
        references.put(merged, new int[] {1});
        System.arraycopy(first.payload(), first.payloadOffset(), merged, 0, length);
    }

    private void append(final TcpSegment s)
    {
        if (merged == null)
        {
            startMerge();
        }
        System.arraycopy(s.payload(), s.payloadOffset(), merged, length, s.payloadLength());
        length += s.payloadLength();
        segments++;
        lastFlags = s.flags();
    }
}
