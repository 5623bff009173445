package io.tlsnic.harness.inspect;

/**
 * The TCP segments of a direction that carry payload.
 *
 * @param count             every segment with payload, retransmissions included.
 * @param payload           their payload lengths in bytes.
 * @param recordStarts      record headers that begin in each segment's first-carried bytes (0: the segment lies
 *                          inside one record), over the segments that carried new bytes of framed records.
 * @param unframed          segments left out of {@code recordStarts}: they carried bytes where the record chain is
 *                          unknown (after a gap that hid a header) or that are not TLS.
 * @param segmentsPerRecord segments that first carried the bytes of each whole record.
 */
public record SegmentFigures(
    long count, DistributionFigures payload, DistributionFigures recordStarts, long unframed,
    DistributionFigures segmentsPerRecord)
{
}
