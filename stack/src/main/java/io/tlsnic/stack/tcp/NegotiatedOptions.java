package io.tlsnic.stack.tcp;

/**
 * What the SYN exchange settled (RFC 9293 section 3.7.1, RFC 7323 section 2.2 and 3.2, RFC 2018 section 2), or
 * what a capture shows was settled when a connection is started ESTABLISHED for replay.
 *
 * @param sendMss largest payload this side sends, before option bytes: the smaller of the peer's MSS option
 *     (536 when absent, RFC 9293 section 3.7.1) and the local MSS.
 * @param sendWindowScale shift applied to the peer's window field, 0 when scaling is off.
 * @param receiveWindowScale shift applied to this side's window field, 0 when scaling is off.
 * @param sack whether both sides sent SACK-permitted.
 * @param timestamps whether both sides sent timestamps.
 */
public record NegotiatedOptions(int sendMss, int sendWindowScale, int receiveWindowScale, boolean sack,
    boolean timestamps)
{
    public NegotiatedOptions
    {
        if (sendMss <= 0 || sendWindowScale < 0 || sendWindowScale > 14 || receiveWindowScale < 0 ||
            receiveWindowScale > 14)
        {
            throw new IllegalArgumentException("bad options: mss " + sendMss + ", window scales " + sendWindowScale +
                "/" + receiveWindowScale + " (0..14)");
        }
    }
}
