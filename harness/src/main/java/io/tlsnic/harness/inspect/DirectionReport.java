package io.tlsnic.harness.inspect;

/**
 * The geometry of one TLS flow direction.
 *
 * @param flow        connection number, 1-based in order of first appearance (as replay numbers them).
 * @param direction   "c2s" or "s2c" when the client is known (its SYN, or its ClientHello), else "fwd" for the first
 *                    packet's sender and "rev" for the other.
 * @param src         sender "ip:port".
 * @param dst         receiver "ip:port".
 * @param firstPacket first packet of this direction.
 * @param figures     the geometry.
 */
public record DirectionReport(
    int flow, String direction, String src, String dst, long firstPacket, GeometryFigures figures)
{
}
