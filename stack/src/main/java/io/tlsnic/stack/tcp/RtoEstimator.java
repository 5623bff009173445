package io.tlsnic.stack.tcp;

/**
 * The retransmission timer's value, computed as RFC 6298 section 2 says: SRTT and RTTVAR from round-trip samples
 * (alpha 1/8, beta 1/4, K 4, clock granularity G), bounded below by a minimum (RFC 6298 says 1 s; Linux uses
 * 200 ms, the default here) and above by a maximum, and doubled on every timeout (section 5.5) until a new sample
 * arrives. Karn's rule (section 3) is the caller's job: it never feeds a sample from a retransmitted segment
 * without timestamps.
 */
final class RtoEstimator
{
    private final long minRtoNs;
    private final long maxRtoNs;
    private final long granularityNs;
    private long srttNs;
    private long rttvarNs;
    private boolean hasSample;
    private long baseRtoNs;
    private int backoffShift;

    RtoEstimator(final long initialRtoNs, final long minRtoNs, final long maxRtoNs, final long granularityNs)
    {
        this.minRtoNs = minRtoNs;
        this.maxRtoNs = maxRtoNs;
        this.granularityNs = granularityNs;
        this.baseRtoNs = initialRtoNs;
    }

    /** Feeds one round-trip measurement and clears the back-off. */
    void onSample(final long rttNs)
    {
        final long r = Math.max(0, rttNs);
        if (!hasSample)
        {
            srttNs = r;
            rttvarNs = r / 2;
            hasSample = true;
        }
        else
        {
            rttvarNs = (3 * rttvarNs + Math.abs(srttNs - r)) / 4;
            srttNs = (7 * srttNs + r) / 8;
        }
        baseRtoNs = srttNs + Math.max(granularityNs, 4 * rttvarNs);
        backoffShift = 0;
    }

    /**
     * RFC 6298 section 5.7: when the SYN timed out and no sample was taken since, data transmission starts with a
     * timeout of at least 3 s.
     */
    void afterSynTimeout(final long floorNs)
    {
        if (!hasSample)
        {
            baseRtoNs = Math.max(baseRtoNs, floorNs);
            backoffShift = 0;
        }
    }

    /** Doubles the timeout (RFC 6298 section 5.5). */
    void backOff()
    {
        if (backoffShift < 30)
        {
            backoffShift++;
        }
    }

    /** @return the current timeout, back-off included, within the bounds. */
    long rtoNs()
    {
        final long bounded = Math.min(maxRtoNs, Math.max(minRtoNs, baseRtoNs));
        return Math.min(maxRtoNs, bounded << Math.min(backoffShift, Long.numberOfLeadingZeros(bounded) - 1));
    }

    /** @return smoothed round-trip time, 0 before the first sample. */
    long srttNs()
    {
        return srttNs;
    }

    long rttvarNs()
    {
        return rttvarNs;
    }
}
