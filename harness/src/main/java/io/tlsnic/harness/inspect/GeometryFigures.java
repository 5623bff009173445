package io.tlsnic.harness.inspect;

/**
 * Record and segment geometry of one direction, or of all of them.
 *
 * @param streamBytes stream bytes the capture holds (each byte once).
 * @param records     records.
 * @param segments    segments.
 * @param splits      record boundaries against segment boundaries.
 * @param loss        retransmissions, late fills and gaps.
 */
public record GeometryFigures(
    long streamBytes, RecordFigures records, SegmentFigures segments, SplitFigures splits, LossFigures loss)
{
}
