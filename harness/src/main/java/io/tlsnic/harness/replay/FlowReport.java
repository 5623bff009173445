package io.tlsnic.harness.replay;

import java.util.List;

/**
 * One TCP connection of the capture.
 *
 * @param flow       connection number, 1-based, in order of first appearance.
 * @param firstFrame the packet that opened it.
 * @param client     "ip:port" of the client (or of the first sender when there is no handshake).
 * @param server     "ip:port" of the other end.
 * @param status     how following the handshake ended ({@link HandshakeOutcome.Status} name).
 * @param reason     why the flow was not replayed, or null.
 * @param directions client-to-server then server-to-client, for a replayed flow; else empty.
 */
public record FlowReport(
    int flow, long firstFrame, String client, String server, String status, String reason,
    List<DirectionReport> directions)
{
    /** @return whether the flow was replayed. */
    public boolean replayed()
    {
        return !directions.isEmpty();
    }
}
