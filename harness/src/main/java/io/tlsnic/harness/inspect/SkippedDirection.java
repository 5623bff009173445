package io.tlsnic.harness.inspect;

/**
 * A flow direction that carries no TLS.
 *
 * @param flow        connection number.
 * @param direction   as in {@link DirectionReport#direction()}.
 * @param src         sender "ip:port".
 * @param dst         receiver "ip:port".
 * @param firstPacket first packet of this direction.
 * @param reason      why, e.g. "no payload".
 */
public record SkippedDirection(int flow, String direction, String src, String dst, long firstPacket, String reason)
{
}
