package io.tlsnic.stack.tcp;

/**
 * The sender's congestion window and how it reacts to ACKs and losses (RFC 5681). The connection owns loss
 * detection and recovery (which bytes to send again, the pipe estimate of RFC 6675, the NewReno inflation of
 * RFC 6582); an implementation only sets the window. All sizes are bytes. One instance serves one connection.
 */
public interface CongestionControl
{
    /**
     * Called once when the connection is established.
     *
     * @param mss sender maximum segment size (SMSS).
     * @param initialWindow initial window in bytes (RFC 6928: 10 segments).
     */
    void init(int mss, int initialWindow);

    /** @return congestion window in bytes. */
    int cwnd();

    /** @return slow-start threshold in bytes. */
    int ssthresh();

    /**
     * New data was cumulatively acknowledged outside loss recovery.
     *
     * @param ackedBytes bytes newly acknowledged.
     * @param flightBeforeAck bytes in flight before this ACK, to tell whether the window was the limit.
     */
    void onAck(int ackedBytes, int flightBeforeAck);

    /** Loss detected by duplicate ACKs or SACK: fast recovery starts (RFC 5681 section 3.2 step 2). */
    void onEnterRecovery(int flightBytes);

    /** Fast recovery ended with a full acknowledgment (RFC 6582 section 3.2 step 3). */
    void onExitRecovery(int flightBytes);

    /** The retransmission timer expired (RFC 5681 section 3.1, equation 4, and the loss window). */
    void onRetransmitTimeout(int flightBytes);
}
