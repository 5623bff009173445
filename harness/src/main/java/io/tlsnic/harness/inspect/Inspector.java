package io.tlsnic.harness.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tlsnic.harness.cli.InputException;
import io.tlsnic.harness.replay.CaptureReader;
import io.tlsnic.harness.replay.CapturedFrame;
import io.tlsnic.harness.replay.Endpoint;
import io.tlsnic.harness.replay.SegmentDecoder;
import io.tlsnic.harness.replay.TcpSegment;
import io.tlsnic.wire.frame.ParseStatus;

/**
 * Reads a capture once and measures the record and segment geometry of every TLS flow direction. Connections are
 * grouped by 4-tuple and numbered in order of first appearance, as replay numbers them.
 */
public final class Inspector
{
    /** One TCP connection: its two directions, the first packet's sender first. */
    private static final class Connection
    {
        private final int id;
        private final DirectionScan first;
        private final DirectionScan second;

        Connection(final int id, final Endpoint source, final Endpoint destination)
        {
            this.id = id;
            this.first = new DirectionScan(source, destination);
            this.second = new DirectionScan(destination, source);
        }

        DirectionScan direction(final Endpoint source)
        {
            return first.source().equals(source) ? first : second;
        }

        /** @return whether the second direction's sender is the client (opened the connection or said hello). */
        boolean secondIsClient()
        {
            if (first.sentBareSyn() || second.sentBareSyn())
            {
                return second.sentBareSyn() && !first.sentBareSyn();
            }
            return second.startsWithClientHello() && !first.startsWithClientHello();
        }

        boolean clientKnown()
        {
            return first.sentBareSyn() || second.sentBareSyn() || first.startsWithClientHello()
                || second.startsWithClientHello();
        }
    }

    /** The two ends of a connection in a fixed order, whichever sent the segment. */
    private record ConnectionKey(Endpoint low, Endpoint high)
    {
        static ConnectionKey of(final Endpoint a, final Endpoint b)
        {
            final boolean aFirst = a.addressHigh() != b.addressHigh() ? a.addressHigh() < b.addressHigh()
                : a.addressLow() != b.addressLow() ? a.addressLow() < b.addressLow() : a.port() <= b.port();
            return aFirst ? new ConnectionKey(a, b) : new ConnectionKey(b, a);
        }
    }

    private Inspector()
    {
    }

    /**
     * @param capture pcap or pcapng file.
     * @return the geometry.
     * @throws InputException when the capture cannot be read, or the snaplen cut a header or a payload byte.
     */
    public static InspectReport inspect(final Path capture)
    {
        final String name = capture.toString();
        final Map<ConnectionKey, Connection> byKey = new HashMap<>();
        final List<Connection> connections = new ArrayList<>();
        long packets = 0;
        long tcpPackets = 0;
        final String linkType;
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            linkType = reader.linkType().label();
            final SegmentDecoder decoder = new SegmentDecoder(reader.linkType());
            for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next())
            {
                packets++;
                final TcpSegment segment = decoder.decode(frame);
                if (segment == null)
                {
                    if (frame.isCut() && isBroken(decoder.lastStatus()))
                    {
                        throw new InputException(name + ": packet " + frame.number() + " was cut by the snaplen"
                            + " inside its headers (" + frame.capturedLength() + " of " + frame.originalLength()
                            + " bytes captured)");
                    }
                    continue;
                }
                tcpPackets++;
                final Connection connection = byKey.computeIfAbsent(
                    ConnectionKey.of(segment.source(), segment.destination()), key ->
                    {
                        final Connection created = new Connection(
                            connections.size() + 1, segment.source(), segment.destination());
                        connections.add(created);
                        return created;
                    });
                connection.direction(segment.source()).accept(segment);
            }
        }
        final List<DirectionReport> directions = new ArrayList<>();
        final List<SkippedDirection> skipped = new ArrayList<>();
        final GeometryTally total = new GeometryTally();
        for (final Connection connection : connections)
        {
            final boolean swap = connection.secondIsClient();
            final DirectionScan client = swap ? connection.second : connection.first;
            final DirectionScan server = swap ? connection.first : connection.second;
            final boolean known = connection.clientKnown();
            report(name, connection.id, known ? "c2s" : "fwd", client, directions, skipped, total);
            report(name, connection.id, known ? "s2c" : "rev", server, directions, skipped, total);
        }
        return new InspectReport(name, linkType, packets, tcpPackets, connections.size(), directions, skipped,
            total.figures());
    }

    /** @return whether a frame that fails with this status is broken rather than not TCP (zeros pad a cut frame). */
    private static boolean isBroken(final ParseStatus status)
    {
        return status == ParseStatus.TRUNCATED || status == ParseStatus.BAD_IP_HEADER
            || status == ParseStatus.BAD_TCP_HEADER;
    }

    private static void report(final String name, final int flow, final String label, final DirectionScan scan,
        final List<DirectionReport> directions, final List<SkippedDirection> skipped, final GeometryTally total)
    {
        scan.finish();
        // even whether a direction is TLS needs its bytes
        if (scan.cutFrame() != 0)
        {
            throw new InputException(name + ": packet " + scan.cutFrame() + " was cut by the snaplen: flow " + flow
                + " " + scan.source() + " -> " + scan.destination() + " " + scan.cutDescription()
                + "; record geometry needs every payload byte");
        }
        final String reason = scan.skipReason();
        if (reason != null)
        {
            skipped.add(new SkippedDirection(flow, label, scan.source().toString(), scan.destination().toString(),
                scan.firstFrame(), reason));
            return;
        }
        directions.add(new DirectionReport(flow, label, scan.source().toString(), scan.destination().toString(),
            scan.firstFrame(), scan.tally().figures()));
        total.add(scan.tally());
    }
}
