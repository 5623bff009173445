package io.tlsnic.harness.inspect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which segment first carried each byte of one direction's stream: the first copy of a byte, in capture order,
 * carries it; a retransmission only carries the bytes no earlier segment did. The pieces are disjoint ranges of
 * stream offsets, so their boundaries are the segmentation the receiver first saw.
 */
final class ByteCarriers
{
    /**
     * Bytes one segment was the first to carry.
     *
     * @param start stream offset of the first byte.
     * @param end   stream offset after the last byte.
     * @param frame packet number of the segment.
     */
    public record Piece(long start, long end, long frame)
    {
    }

    private final TreeMap<Long, Piece> pieces = new TreeMap<>();
    private long carriedLength;

    /**
     * @param start stream offset of the segment's first payload byte.
     * @param end   stream offset after its last payload byte.
     * @param frame packet number of the segment.
     * @return how many of its bytes no earlier segment carried.
     */
    public long carry(final long start, final long end, final long frame)
    {
        final List<Piece> added = new ArrayList<>();
        long cursor = start;
        final Map.Entry<Long, Piece> before = pieces.floorEntry(start);
        if (before != null && before.getValue().end() > cursor)
        {
            cursor = before.getValue().end();
        }
        for (final Piece existing : pieces.subMap(cursor, true, end, false).values())
        {
            if (existing.start() > cursor)
            {
                added.add(new Piece(cursor, existing.start(), frame));
            }
            cursor = Math.max(cursor, existing.end());
        }
        if (cursor < end)
        {
            added.add(new Piece(cursor, end, frame));
        }
        long carried = 0;
        for (final Piece piece : added)
        {
            pieces.put(piece.start(), piece);
            carried += piece.end() - piece.start();
        }
        carriedLength += carried;
        return carried;
    }

    /** @return every piece in stream order. */
    public Collection<Piece> pieces()
    {
        return pieces.values();
    }

    /**
     * @param start first stream offset.
     * @param end   stream offset after the range.
     * @return the pieces that hold bytes of {@code [start, end)}, in stream order.
     */
    public Collection<Piece> overlapping(final long start, final long end)
    {
        final Long from = pieces.floorKey(start);
        final List<Piece> found = new ArrayList<>();
        for (final Piece piece : pieces.subMap(from == null ? start : from, true, end, false).values())
        {
            if (piece.end() > start)
            {
                found.add(piece);
            }
        }
        return found;
    }

    /** @return bytes carried in all. */
    public long carriedLength()
    {
        return carriedLength;
    }

    /** @return stream offset after the highest byte carried (0 when none). */
    public long end()
    {
        return pieces.isEmpty() ? 0 : pieces.lastEntry().getValue().end();
    }
}
