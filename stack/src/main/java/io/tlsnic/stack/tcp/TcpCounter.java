package io.tlsnic.stack.tcp;

/**
 * Descriptors of the per-connection TCP counters, labelled as Linux's {@code /proc/net/snmp} and
 * {@code /proc/net/netstat} MIB names ({@code nstat} spelling) so that reports read like a real host's.
 * Segments are counted as Linux counts them: a TSO super-segment counts as the number of MSS frames it becomes.
 */
public enum TcpCounter
{
    /** Segments received, including those in error. */
    IN_SEGS(0, "TcpInSegs"),
    /** Segments sent, retransmissions included. */
    OUT_SEGS(1, "TcpOutSegs"),
    /** Segments sent again: fast retransmit, SACK hole fill, or after a timeout. */
    RETRANS_SEGS(2, "TcpRetransSegs"),
    /** Active opens: SYN sent from CLOSED. */
    ACTIVE_OPENS(3, "TcpActiveOpens"),
    /** Passive opens: SYN accepted in LISTEN. */
    PASSIVE_OPENS(4, "TcpPassiveOpens"),
    /** Resets sent. */
    OUT_RSTS(5, "TcpOutRsts"),
    /** Resets received in a synchronized state. */
    ESTAB_RESETS(6, "TcpEstabResets"),
    /** Segments retransmitted while in fast recovery (not after a timeout). */
    FAST_RETRANS(7, "TcpExtTCPFastRetrans"),
    /** Retransmission timeouts that fired with data outstanding. */
    TIMEOUTS(8, "TcpExtTCPTimeouts"),
    /** Fast recovery episodes entered with SACK. */
    SACK_RECOVERY(9, "TcpExtTCPSackRecovery"),
    /** Fast recovery episodes entered without SACK (NewReno). */
    RENO_RECOVERY(10, "TcpExtTCPRenoRecovery"),
    /** Data segments put on the out-of-order queue. */
    OFO_QUEUE(11, "TcpExtTCPOFOQueue"),
    /** ACKs sent by the delayed-ACK timer. */
    DELAYED_ACKS(12, "TcpExtDelayedACKs"),
    /** D-SACK blocks received (RFC 2883). */
    DSACK_RECV(13, "TcpExtTCPDSACKRecv"),
    /** D-SACK blocks sent for duplicate data. */
    DSACK_OLD_SENT(14, "TcpExtTCPDSACKOldSent"),
    /** D-SACK blocks sent for duplicate data on the out-of-order queue. */
    DSACK_OFO_SENT(15, "TcpExtTCPDSACKOfoSent"),
    /** Zero-window probes sent by the persist timer. */
    WIN_PROBE(16, "TcpExtTCPWinProbe"),
    /** Payload bytes dropped because they were beyond the advertised window (not a Linux name). */
    RCV_BEYOND_WINDOW(17, "TcpExtTCPRcvBeyondWindowBytes"),
    /** ACKs that acknowledged data not yet sent, answered with an ACK and dropped (not a Linux name). */
    ACK_OF_UNSENT(18, "TcpExtTCPAckOfUnsent"),
    /** Connections given up after too many consecutive timeouts. */
    ABORT_ON_TIMEOUT(19, "TcpExtTCPAbortOnTimeout");

    private final int id;
    private final String label;

    TcpCounter(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    /** @return the index of this counter in a {@link TcpCounters}. */
    public int id()
    {
        return id;
    }

    /** @return the Linux MIB name. */
    public String label()
    {
        return label;
    }
}
