package io.tlsnic.harness.inspect;

/**
 * How a direction's segments arrived, by TCP sequence number (see {@link ArrivalCounter}).
 *
 * @param retransmitted       segments whose every byte an earlier segment carried.
 * @param partlyRetransmitted segments that repeated some bytes and brought others.
 * @param outOfOrder          segments that brought bytes below the highest byte seen (a late fill of a gap).
 * @param gaps                segments that started beyond every byte seen so far.
 * @param gapBytes            bytes skipped by those segments.
 * @param missingRanges       ranges of the stream no segment ever carried.
 * @param missingBytes        bytes in them.
 * @param beforeStart         segments wholly before the stream's start (before the SYN or the first segment seen).
 */
public record LossFigures(
    long retransmitted, long partlyRetransmitted, long outOfOrder, long gaps, long gapBytes, long missingRanges,
    long missingBytes, long beforeStart)
{
    /**
     * @param other another direction's figures.
     * @return the sums.
     */
    public LossFigures plus(final LossFigures other)
    {
        return new LossFigures(retransmitted + other.retransmitted, partlyRetransmitted + other.partlyRetransmitted,
            outOfOrder + other.outOfOrder, gaps + other.gaps, gapBytes + other.gapBytes,
            missingRanges + other.missingRanges, missingBytes + other.missingBytes, beforeStart + other.beforeStart);
    }
}
