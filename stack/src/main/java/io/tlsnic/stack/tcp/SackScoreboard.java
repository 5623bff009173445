package io.tlsnic.stack.tcp;

import java.util.ArrayList;

/**
 * The sender's record of which bytes above SND.UNA the receiver has selectively acknowledged (RFC 6675 section 3
 * "scoreboard"): a sorted list of disjoint, merged ranges. The receiver in this model never reneges, so SACKed
 * bytes are never sent again (RFC 2018 section 8 allows reneging; a reneging peer would show as a timeout here).
 */
final class SackScoreboard
{
    /** Sorted, disjoint, non-adjacent {start, end} ranges, all after SND.UNA. */
    private final ArrayList<int[]> ranges = new ArrayList<>();

    void clear()
    {
        ranges.clear();
    }

    boolean isEmpty()
    {
        return ranges.isEmpty();
    }

    /** @return the end of the highest SACKed range (RFC 6675 HighACK + 1); only when not empty. */
    int highestSackedEnd()
    {
        return ranges.get(ranges.size() - 1)[1];
    }

    /**
     * Adds the SACK blocks of an ACK.
     *
     * @param ack the segment's cumulative ACK.
     * @param sndUna SND.UNA after that ACK was applied.
     * @param sndMax the highest sequence sent plus one; blocks beyond it are bogus and ignored.
     * @return 1 when the first block is a D-SACK (RFC 2883 section 4: below the ACK, or inside the second
     *     block), else 0.
     */
    int update(final TcpSegment segment, final int ack, final int sndUna, final int sndMax)
    {
        int dsack = 0;
        for (int i = 0; i < segment.sackBlockCount(); i++)
        {
            final int start = segment.sackStart(i);
            final int end = segment.sackEnd(i);
            if (i == 0 && (Seq.beforeOrAt(end, ack) || segment.sackBlockCount() > 1 &&
                Seq.afterOrAt(start, segment.sackStart(1)) && Seq.beforeOrAt(end, segment.sackEnd(1))))
            {
                dsack = 1;
            }
            if (!Seq.before(start, end) || Seq.after(end, sndMax))
            {
                continue;
            }
            add(Seq.max(start, sndUna), end);
        }
        return dsack;
    }

    private void add(final int start, final int end)
    {
        if (!Seq.before(start, end))
        {
            return;
        }
        int s = start;
        int e = end;
        int i = 0;
        while (i < ranges.size() && Seq.before(ranges.get(i)[1], s))
        {
            i++;
        }
        // Absorb every range that overlaps or touches [s, e).
        while (i < ranges.size() && Seq.beforeOrAt(ranges.get(i)[0], e))
        {
            s = Seq.min(s, ranges.get(i)[0]);
            e = Seq.max(e, ranges.get(i)[1]);
            ranges.remove(i);
        }
        ranges.add(i, new int[] {s, e});
    }

    /** Forgets everything before {@code sndUna}, which is now cumulatively acknowledged. */
    void discardBelow(final int sndUna)
    {
        while (!ranges.isEmpty() && Seq.beforeOrAt(ranges.get(0)[1], sndUna))
        {
            ranges.remove(0);
        }
        if (!ranges.isEmpty() && Seq.before(ranges.get(0)[0], sndUna))
        {
            ranges.get(0)[0] = sndUna;
        }
    }

    /** @return SACKed bytes within {@code [from, to)}. */
    int sackedBytes(final int from, final int to)
    {
        int n = 0;
        for (final int[] r : ranges)
        {
            final int s = Seq.max(r[0], from);
            final int e = Seq.min(r[1], to);
            if (Seq.before(s, e))
            {
                n += Seq.diff(e, s);
            }
        }
        return n;
    }

    /** @return bytes in {@code [from, to)} not SACKed; 0 for an empty or reversed range. */
    int unsackedBytes(final int from, final int to)
    {
        return Seq.before(from, to) ? Seq.diff(to, from) - sackedBytes(from, to) : 0;
    }

    /** @return {@code seq}, or the end of the SACKed range holding it. */
    int skipSacked(final int seq)
    {
        for (final int[] r : ranges)
        {
            if (Seq.inRange(seq, r[0], r[1]))
            {
                return r[1];
            }
        }
        return seq;
    }

    /** @return the start of the first SACKed range after {@code seq}, or {@code limit} if none comes before it. */
    int nextSackedStart(final int seq, final int limit)
    {
        for (final int[] r : ranges)
        {
            if (Seq.after(r[0], seq))
            {
                return Seq.min(r[0], limit);
            }
        }
        return limit;
    }

    /**
     * RFC 6675 section 4 IsLost, by its byte rule: an unSACKed byte is lost when more than
     * {@code (DupThresh - 1) * SMSS} bytes above it are SACKed. Because SACKed bytes above a sequence number only
     * shrink as it grows, the lost bytes are exactly the unSACKed ones before one boundary, returned here.
     *
     * @param thresholdBytes {@code (DupThresh - 1) * SMSS}.
     * @param sndUna returned when nothing counts as lost.
     * @return every unSACKed byte before this sequence number counts as lost.
     */
    int lostBoundary(final int thresholdBytes, final int sndUna)
    {
        int above = 0;
        for (int i = ranges.size() - 1; i >= 0; i--)
        {
            final int[] r = ranges.get(i);
            above += Seq.diff(r[1], r[0]);
            if (above > thresholdBytes)
            {
                return r[0];
            }
        }
        return sndUna;
    }
}
