package io.tlsnic.harness.inspect;

import java.util.Map;

/**
 * Where the whole records of a direction begin and end relative to the segments that first carried them.
 *
 * @param records              whole records measured.
 * @param startAtSegmentStart  records whose header is the first payload byte of a segment.
 * @param startMidSegment      records whose header begins inside a segment.
 * @param headerSplit          records whose 5-byte header spans two or more segments.
 * @param headerSplitAfterByte of which, per count of header bytes (1..4) in the first segment.
 * @param protectedRecords     records with a 16-byte AEAD tag (see {@link RecordLog}).
 * @param tagSplit             of which the tag spans two or more segments.
 */
public record SplitFigures(
    long records, long startAtSegmentStart, long startMidSegment, long headerSplit,
    Map<String, Long> headerSplitAfterByte, long protectedRecords, long tagSplit)
{
}
