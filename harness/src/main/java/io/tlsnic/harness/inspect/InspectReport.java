package io.tlsnic.harness.inspect;

import java.util.List;

/**
 * The geometry of a capture: per TLS flow direction and in total. Holds nothing that varies between runs.
 *
 * @param capture     the capture file as named on the command line.
 * @param linkType    its link type.
 * @param packets     packets in the file.
 * @param tcpPackets  of which TCP segments.
 * @param connections TCP connections.
 * @param directions  TLS flow directions, by connection, client's first.
 * @param skipped     flow directions without TLS.
 * @param total       the sum over {@code directions}.
 */
public record InspectReport(
    String capture, String linkType, long packets, long tcpPackets, int connections, List<DirectionReport> directions,
    List<SkippedDirection> skipped, GeometryFigures total)
{
}
