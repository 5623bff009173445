package io.tlsnic.harness.inspect;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tlsnic.wire.tls.TlsRecordHeader;

/** The measures of one direction as they are counted, and the sum of several directions for the total. */
final class GeometryTally
{
    private static final int[] CONTENT_TYPES = {
        TlsRecordHeader.CONTENT_TYPE_HANDSHAKE, TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC,
        TlsRecordHeader.CONTENT_TYPE_ALERT, TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA};

    final Distribution recordLengths = new Distribution();
    final Distribution payloadLengths = new Distribution();
    final Distribution recordStarts = new Distribution();
    final Distribution segmentsPerRecord = new Distribution();
    final Distribution headerSplitAfterByte = new Distribution();
    final long[] recordsByType = new long[CONTENT_TYPES.length];
    long streamBytes;
    long incompleteRecords;
    long unframedSegments;
    long startAtSegmentStart;
    long startMidSegment;
    long protectedRecords;
    long tagSplits;
    LossFigures loss = new LossFigures(0, 0, 0, 0, 0, 0, 0, 0);

    /** @param contentType content type of one more whole record. */
    void countType(final int contentType)
    {
        for (int i = 0; i < CONTENT_TYPES.length; i++)
        {
            if (CONTENT_TYPES[i] == contentType)
            {
                recordsByType[i]++;
            }
        }
    }

    /** @param other a direction's tally, added to this one. */
    public void add(final GeometryTally other)
    {
        recordLengths.addAll(other.recordLengths);
        payloadLengths.addAll(other.payloadLengths);
        recordStarts.addAll(other.recordStarts);
        segmentsPerRecord.addAll(other.segmentsPerRecord);
        headerSplitAfterByte.addAll(other.headerSplitAfterByte);
        for (int i = 0; i < recordsByType.length; i++)
        {
            recordsByType[i] += other.recordsByType[i];
        }
        streamBytes += other.streamBytes;
        incompleteRecords += other.incompleteRecords;
        unframedSegments += other.unframedSegments;
        startAtSegmentStart += other.startAtSegmentStart;
        startMidSegment += other.startMidSegment;
        protectedRecords += other.protectedRecords;
        tagSplits += other.tagSplits;
        loss = loss.plus(other.loss);
    }

    /** @return the figures. */
    public GeometryFigures figures()
    {
        final Map<String, Long> byType = new LinkedHashMap<>();
        for (int i = 0; i < CONTENT_TYPES.length; i++)
        {
            byType.put(TlsRecordHeader.contentTypeName(CONTENT_TYPES[i]), recordsByType[i]);
        }
        final RecordFigures records = new RecordFigures(recordLengths.count(), byType, incompleteRecords,
            recordLengths.figures(Buckets.BYTES));
        final SegmentFigures segments = new SegmentFigures(payloadLengths.count(),
            payloadLengths.figures(Buckets.BYTES), recordStarts.figures(Buckets.RECORD_STARTS), unframedSegments,
            segmentsPerRecord.figures(Buckets.SEGMENTS));
        final SplitFigures splits = new SplitFigures(recordLengths.count(), startAtSegmentStart, startMidSegment,
            headerSplitAfterByte.count(), headerSplitAfterByte.figures(Buckets.HEADER_BYTES).buckets(),
            protectedRecords, tagSplits);
        return new GeometryFigures(streamBytes, records, segments, splits, loss);
    }
}
