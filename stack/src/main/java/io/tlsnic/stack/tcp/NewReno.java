package io.tlsnic.stack.tcp;

/**
 * The standard congestion window of RFC 5681 as NewReno (RFC 6582) uses it: slow start grows the window by the
 * bytes acknowledged, at most 2 SMSS per ACK (appropriate byte counting, RFC 3465 with L = 2); congestion
 * avoidance adds one SMSS per window of acknowledged bytes (RFC 5681 section 3.1, the byte-counting variant);
 * loss sets {@code ssthresh = max(FlightSize / 2, 2 * SMSS)} (equation 4); a timeout drops the window to one
 * segment (the loss window). The window only grows while it limits the sender, as Linux's
 * {@code tcp_is_cwnd_limited} does, so that an application-limited flow does not inflate it without bound.
 */
public final class NewReno implements CongestionControl
{
    private int mss = 536;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private int bytesAckedInAvoidance;

    @Override
    public void init(final int mss, final int initialWindow)
    {
        this.mss = mss;
        this.cwnd = initialWindow;
        this.ssthresh = Integer.MAX_VALUE;
        this.bytesAckedInAvoidance = 0;
    }

    @Override
    public int cwnd()
    {
        return cwnd;
    }

    @Override
    public int ssthresh()
    {
        return ssthresh;
    }

    @Override
    public void onAck(final int ackedBytes, final int flightBeforeAck)
    {
        if (2L * flightBeforeAck < cwnd)
        {
            return;
        }
        if (cwnd < ssthresh)
        {
            cwnd = (int)Math.min(Integer.MAX_VALUE / 2, (long)cwnd + Math.min(ackedBytes, 2 * mss));
        }
        else
        {
            bytesAckedInAvoidance += ackedBytes;
            if (bytesAckedInAvoidance >= cwnd)
            {
                bytesAckedInAvoidance -= cwnd;
                cwnd = Math.min(Integer.MAX_VALUE / 2, cwnd + mss);
            }
        }
    }

    @Override
    public void onEnterRecovery(final int flightBytes)
    {
        ssthresh = Math.max(flightBytes / 2, 2 * mss);
        cwnd = ssthresh;
        bytesAckedInAvoidance = 0;
    }

    @Override
    public void onExitRecovery(final int flightBytes)
    {
        // RFC 6582 section 3.2 step 3, option 1 bounded as option 2 suggests, to avoid a burst.
        cwnd = Math.max(Math.min(ssthresh, flightBytes + mss), mss);
    }

    @Override
    public void onRetransmitTimeout(final int flightBytes)
    {
        ssthresh = Math.max(flightBytes / 2, 2 * mss);
        cwnd = mss;
        bytesAckedInAvoidance = 0;
    }
}
