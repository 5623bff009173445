package io.tlsnic.harness.inspect;

/**
 * How the segments of one direction arrived, by TCP sequence number, as a receiver sees a lossy path: a segment that
 * starts beyond every byte seen so far opens a gap; one that brings bytes never seen below the highest byte seen fills
 * a gap late (out of order); one whose every byte was seen before is a retransmission (or a duplicate).
 * These are the definitions of {@code pcaps/analyze.py}, so the counts can be checked against the manifest.
 */
final class ArrivalCounter
{
    private long highest;
    private long retransmitted;
    private long partlyRetransmitted;
    private long outOfOrder;
    private long gaps;
    private long gapLength;
    private long beforeStart;

    /**
     * @param start     stream offset of the segment's first payload byte (negative before the stream's start).
     * @param end       stream offset after its last payload byte.
     * @param newLength how many of its bytes no earlier segment carried.
     */
    public void onSegment(final long start, final long end, final long newLength)
    {
        if (end <= 0)
        {
            beforeStart++;
            return;
        }
        if (start > highest)
        {
            gaps++;
            gapLength += start - highest;
        }
        if (newLength == 0)
        {
            retransmitted++;
        }
        else
        {
            if (start < highest)
            {
                outOfOrder++;
            }
            if (newLength < end - Math.max(0, start))
            {
                partlyRetransmitted++;
            }
        }
        highest = Math.max(highest, end);
    }

    /**
     * @param missingRanges ranges of the stream no segment carried.
     * @param missingLength bytes in them.
     * @return the figures.
     */
    public LossFigures figures(final long missingRanges, final long missingLength)
    {
        return new LossFigures(retransmitted, partlyRetransmitted, outOfOrder, gaps, gapLength, missingRanges,
            missingLength, beforeStart);
    }
}
