package io.tlsnic.harness.inspect;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.tlsnic.wire.tls.TlsRecordHeader;

/**
 * Measures where a direction's records fall against the segments that first carried their bytes: record starts per
 * segment, segments per record, headers and tags split across segments, records that start a segment or begin inside
 * one. Segmentation is that of the first copy of every byte ({@link ByteCarriers}), so a retransmission that
 * repacks bytes does not count twice.
 */
final class GeometryMeter
{
    private static final int TAG_LENGTH = 16;

    private GeometryMeter()
    {
    }

    /**
     * @param carriers     which segment first carried each byte.
     * @param records      the records framed from the stream, in stream order.
     * @param notTlsOffset stream offset where the bytes stop being TLS, or -1.
     * @param tally        receives the figures.
     */
    static void measure(final ByteCarriers carriers, final List<FramedRecord> records, final long notTlsOffset,
        final GeometryTally tally)
    {
        final long tlsEnd = notTlsOffset < 0 ? carriers.end() : Math.min(notTlsOffset, carriers.end());
        final TreeMap<Long, Long> unframed = unframedRanges(records, tlsEnd, carriers.end());
        countRecordStarts(carriers, records, unframed, tally);
        for (final FramedRecord record : records)
        {
            if (!record.complete())
            {
                tally.incompleteRecords++;
                continue;
            }
            tally.recordLengths.add(record.length());
            tally.countType(record.contentType());
            measureRecord(carriers.overlapping(record.start(), record.end()), record, tally);
        }
    }

    private static void measureRecord(final Collection<ByteCarriers.Piece> pieces, final FramedRecord record,
        final GeometryTally tally)
    {
        final ByteCarriers.Piece first = pieces.iterator().next();
        if (first.start() == record.start())
        {
            tally.startAtSegmentStart++;
        }
        else
        {
            tally.startMidSegment++;
        }
        final long headerInFirst = first.end() - record.start();
        if (headerInFirst < TlsRecordHeader.HEADER_LENGTH)
        {
            tally.headerSplitAfterByte.add(headerInFirst);
        }
        final Set<Long> frames = new HashSet<>();
        final long tagStart = record.end() - TAG_LENGTH;
        for (final ByteCarriers.Piece piece : pieces)
        {
            frames.add(piece.frame());
            if (record.aeadProtected() && piece.start() <= tagStart && piece.end() > tagStart && piece.end() < record.end())
            {
                tally.tagSplits++;
            }
        }
        if (record.aeadProtected())
        {
            tally.protectedRecords++;
        }
        tally.segmentsPerRecord.add(frames.size());
    }

    private static void countRecordStarts(final ByteCarriers carriers, final List<FramedRecord> records,
        final TreeMap<Long, Long> unframed, final GeometryTally tally)
    {
        final long[] starts = new long[records.size()];
        for (int i = 0; i < starts.length; i++)
        {
            starts[i] = records.get(i).start();
        }
        final Map<Long, Integer> startsPerFrame = new LinkedHashMap<>();
        final Set<Long> unframedFrames = new HashSet<>();
        for (final ByteCarriers.Piece piece : carriers.pieces())
        {
            startsPerFrame.merge(piece.frame(), countWithin(starts, piece.start(), piece.end()), Integer::sum);
            final Map.Entry<Long, Long> range = unframed.floorEntry(piece.end() - 1);
            if (range != null && range.getValue() > piece.start())
            {
                unframedFrames.add(piece.frame());
            }
        }
        for (final Map.Entry<Long, Integer> frame : startsPerFrame.entrySet())
        {
            if (unframedFrames.contains(frame.getKey()))
            {
                tally.unframedSegments++;
            }
            else
            {
                tally.recordStarts.add(frame.getValue());
            }
        }
    }

    /** @return the ranges (start to end) of TLS stream bytes whose record chain is unknown, and of non-TLS bytes. */
    private static TreeMap<Long, Long> unframedRanges(
        final List<FramedRecord> records, final long tlsEnd, final long streamEnd)
    {
        final TreeMap<Long, Long> ranges = new TreeMap<>();
        long cursor = 0;
        for (final FramedRecord record : records)
        {
            if (record.start() > cursor)
            {
                ranges.put(cursor, record.start());
            }
            cursor = record.length() < 0 ? record.start() : Math.max(cursor, record.end());
        }
        if (cursor < tlsEnd)
        {
            ranges.put(cursor, tlsEnd);
        }
        if (tlsEnd < streamEnd)
        {
            ranges.merge(tlsEnd, streamEnd, Math::max);
        }
        return ranges;
    }

    private static int countWithin(final long[] sorted, final long from, final long to)
    {
        return lowerBound(sorted, to) - lowerBound(sorted, from);
    }

    private static int lowerBound(final long[] sorted, final long value)
    {
        final int found = Arrays.binarySearch(sorted, value);
        if (found < 0)
        {
            return -found - 1;
        }
        int index = found;
        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }
        return index;
    }
}
