package io.tlsnic.harness.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.tlsnic.harness.cli.InputException;
import io.tlsnic.wire.frame.ParseStatus;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;

/**
 * Replays one capture: reads every packet, reassembles and follows each connection's handshake (first pass), then
 * feeds every direction's segments in capture order to the receiver installed where kTLS takes over (second pass),
 * and reports per flow direction and per packet.
 */
public final class Replayer
{
    /** Event-log status of each {@link PacketMark}, by ordinal. */
    private static final String[] MARK_LABELS = java.util.Arrays.stream(PacketMark.values())
        .map(mark -> mark.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private final KeySource keys;
    private final RecordReceiverFactory receivers;

    /**
     * @param keys      key log and PSK.
     * @param receivers makes the receiver of each direction ({@link DeviceRecordReceiver#factory()} or
     *     {@link SoftwareRecordReceiver#factory()}).
     */
    public Replayer(final KeySource keys, final RecordReceiverFactory receivers)
    {
        this.keys = keys;
        this.receivers = receivers;
    }

    /**
     * A replay's report and its per-packet events. The events are built on the first {@link #events()} call: only
     * the event log reads them, and building one object with strings per packet is a large share of a replay.
     */
    public static final class Result
    {
        private final ReplayReport report;
        private Supplier<List<PacketEvent>> eventSource;
        private List<PacketEvent> events;

        Result(final ReplayReport report, final Supplier<List<PacketEvent>> eventSource)
        {
            this.report = report;
            this.eventSource = eventSource;
        }

        /** @return the report. */
        public ReplayReport report()
        {
            return report;
        }

        /** @return one event per packet, in packet order. */
        public List<PacketEvent> events()
        {
            if (events == null)
            {
                events = eventSource.get();
                eventSource = null;
            }
            return events;
        }
    }

    /**
     * @param capture      pcap or pcapng file.
     * @param plaintextDir where to write each direction's application data, or null.
     * @return the report and the events.
     * @throws InputException for a capture that cannot be read or has packets cut by the snaplen.
     */
    public Result replay(final Path capture, final Path plaintextDir)
    {
        final long startNs = System.nanoTime();
        final String name = capture.toString();
        final List<CapturedFrame> frames = new ArrayList<>();
        final List<TcpSegment> segments = new ArrayList<>();
        final List<String> statuses = new ArrayList<>();
        final List<FlowTable.Connection> connectionOf = new ArrayList<>();
        final FlowTable flows = new FlowTable();
        final String linkType;
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            linkType = reader.linkType().label();
            final SegmentDecoder decoder = new SegmentDecoder(reader.linkType());
            for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next())
            {
                final TcpSegment segment = decoder.decode(frame);
                if (segment == null && frame.isCut() && decoder.lastStatus() == ParseStatus.TRUNCATED)
                {
                    throw new InputException(name + ": packet " + frame.number() + " was cut by the snaplen inside"
                        + " its headers (" + frame.capturedLength() + " of " + frame.originalLength()
                        + " bytes captured)");
                }
                frames.add(new CapturedFrame(frame.number(), frame.timestampNs(), frame.capturedLength(),
                    frame.originalLength(), new byte[0]));
                segments.add(segment);
                statuses.add(segment == null ? decoder.lastStatus().name().toLowerCase(Locale.ROOT) : null);
                connectionOf.add(segment == null ? null : flows.add(segment));
            }
        }
        final HandshakeTracker tracker = new HandshakeTracker(keys, name);
        final Map<FlowTable.Connection, HandshakeOutcome> outcomes = new HashMap<>();
        for (final FlowTable.Connection connection : flows.connections())
        {
            connection.first().finish();
            connection.second().finish();
            rejectSnaplenCuts(name, connection, connection.first());
            rejectSnaplenCuts(name, connection, connection.second());
            outcomes.put(connection, tracker.follow(connection.first(), connection.second()));
        }

        final Map<DirectionStream, RecordReceiver> receiverOf = new HashMap<>();
        final Map<DirectionStream, DirectionReplay> replayOf = new HashMap<>();
        final Map<DirectionStream, DirectionSetup> setupOf = new HashMap<>();
        final List<OutputStream> copies = new ArrayList<>();
        for (final FlowTable.Connection connection : flows.connections())
        {
            final HandshakeOutcome outcome = outcomes.get(connection);
            if (outcome.status() != HandshakeOutcome.Status.READY)
            {
                continue;
            }
            for (final DirectionSetup setup : List.of(outcome.clientSetup(), outcome.serverSetup()))
            {
                final DirectionStream stream = connection.direction(setup.source());
                final OutputStream copy = plaintextCopy(plaintextDir, setup);
                if (copy != null)
                {
                    copies.add(copy);
                }
                final DirectionReplay replay = new DirectionReplay(setup, outcome.suite(), outcome.clientRandom(), keys,
                    setup.source().equals(outcome.client()), copy);
                final RecordReceiver receiver = receivers.create(setup.source(), setup.destination(), setup.cryptoInfo(),
                    setup.installSeq(), stream, replay);
                replay.attach(receiver);
                receiverOf.put(stream, receiver);
                replayOf.put(stream, replay);
                setupOf.put(stream, setup);
            }
        }

        for (int i = 0; i < frames.size(); i++)
        {
            final TcpSegment segment = segments.get(i);
            if (segment == null)
            {
                continue;
            }
            final FlowTable.Connection connection = connectionOf.get(i);
            final HandshakeOutcome outcome = outcomes.get(connection);
            final DirectionStream stream = connection.direction(segment.source());
            final boolean syn = (segment.flags() & TcpHeaderFlyweight.SYN) != 0;
            final long dataSeq = syn ? (segment.seq() + 1) & 0xFFFF_FFFFL : segment.seq();
            final String status;
            if (outcome.status() != HandshakeOutcome.Status.READY)
            {
                status = outcome.status().name().toLowerCase(Locale.ROOT);
            }
            else if (segment.payloadLength() == 0)
            {
                status = "no_payload";
            }
            else if (stream.offsetOf(dataSeq) + segment.payloadLength() <= setupOf.get(stream).installOffset())
            {
                status = "handshake";
            }
            else
            {
                status = MARK_LABELS[receiverOf.get(stream).onSegment(segment.frameNumber(), dataSeq, segment.data(),
                    segment.payloadOffset(), segment.payloadLength()).ordinal()];
            }
            statuses.set(i, status);
        }
        receiverOf.values().forEach(RecordReceiver::finish);
        for (final OutputStream copy : copies)
        {
            close(copy);
        }

        final List<FlowReport> flowReports = new ArrayList<>();
        for (final FlowTable.Connection connection : flows.connections())
        {
            flowReports.add(flowReport(connection, outcomes.get(connection), replayOf));
        }
        final long replayMs = (System.nanoTime() - startNs) / 1_000_000;
        return new Result(new ReplayReport(name, linkType, frames.size(), replayMs, flowReports, keys.warnings()),
            () -> events(frames, segments, statuses, connectionOf, outcomes, setupOf, replayOf));
    }

    private static FlowReport flowReport(final FlowTable.Connection connection, final HandshakeOutcome outcome,
        final Map<DirectionStream, DirectionReplay> replayOf)
    {
        final String client = outcome.client() != null ? outcome.client().toString()
            : connection.first().source().toString();
        final String server = outcome.server() != null ? outcome.server().toString()
            : connection.first().destination().toString();
        if (outcome.status() != HandshakeOutcome.Status.READY)
        {
            return new FlowReport(connection.id(), connection.firstFrame(), client, server, outcome.status().name(),
                outcome.reason(), List.of());
        }
        final List<DirectionReport> directions = new ArrayList<>();
        for (final DirectionSetup setup : List.of(outcome.clientSetup(), outcome.serverSetup()))
        {
            directions.add(replayOf.get(connection.direction(setup.source())).report(setup.handshakeRecords()));
        }
        return new FlowReport(connection.id(), connection.firstFrame(), client, server, outcome.status().name(), null,
            directions);
    }

    /** One event per packet: its flow, direction, status and the records its payload touches. */
    private static List<PacketEvent> events(
        final List<CapturedFrame> frames, final List<TcpSegment> segments, final List<String> statuses,
        final List<FlowTable.Connection> connectionOf, final Map<FlowTable.Connection, HandshakeOutcome> outcomes,
        final Map<DirectionStream, DirectionSetup> setupOf, final Map<DirectionStream, DirectionReplay> replayOf)
    {
        final Map<DirectionStream, TreeMap<Long, long[]>> spansOf = new HashMap<>();
        final Map<DirectionStream, List<String>> labelsOf = new HashMap<>();
        final List<PacketEvent> out = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++)
        {
            final CapturedFrame frame = frames.get(i);
            final TcpSegment segment = segments.get(i);
            if (segment == null)
            {
                out.add(new PacketEvent(frame.number(), frame.timestampNs(), 0, null, null, null, -1, 0, List.of(),
                    statuses.get(i)));
                continue;
            }
            final FlowTable.Connection connection = connectionOf.get(i);
            final HandshakeOutcome outcome = outcomes.get(connection);
            final String direction = outcome.client() == null ? null
                : segment.source().equals(outcome.client()) ? "c2s" : "s2c";
            final boolean syn = (segment.flags() & TcpHeaderFlyweight.SYN) != 0;
            final long dataSeq = syn ? (segment.seq() + 1) & 0xFFFF_FFFFL : segment.seq();
            final PacketEvent event = new PacketEvent(frame.number(), frame.timestampNs(), connection.id(), direction,
                segment.source().toString(), segment.destination().toString(), dataSeq, segment.wireLength(),
                List.of(), statuses.get(i));
            if (event.length() == 0)
            {
                out.add(event);
                continue;
            }
            final DirectionStream stream = connection.direction(segment.source());
            final TreeMap<Long, long[]> spans = spansOf.computeIfAbsent(stream, s -> new TreeMap<>());
            final List<String> labels = labelsOf.computeIfAbsent(stream, s ->
            {
                final List<String> names = new ArrayList<>();
                final DirectionSetup setup = setupOf.get(s);
                int index = 0;
                for (final DirectionStream.Item item : s.items())
                {
                    if (setup != null && item.streamOffset() >= setup.installOffset())
                    {
                        break;
                    }
                    final String type = item.kind() == DirectionStream.Kind.RECORD
                        ? io.tlsnic.wire.tls.TlsRecordHeader.contentTypeName(item.contentType()) : "incomplete";
                    spans.put(item.streamOffset(), new long[] {Math.max(item.recordLength(), 0), names.size()});
                    names.add("tls#" + index++ + ":" + type);
                }
                final DirectionReplay replay = replayOf.get(s);
                if (replay != null)
                {
                    for (final DirectionReplay.Span span : replay.spans())
                    {
                        spans.put(s.offsetOf(span.tcpSeq()), new long[] {span.length(), names.size()});
                        names.add(span.label());
                    }
                }
                return names;
            });
            final long start = stream.offsetOf(event.tcpSeq());
            final long end = start + event.length();
            final List<String> touched = new ArrayList<>();
            final Long from = spans.floorKey(start);
            for (final Map.Entry<Long, long[]> span : spans.tailMap(from == null ? start : from, true).entrySet())
            {
                if (span.getKey() >= end)
                {
                    break;
                }
                if (span.getKey() + span.getValue()[0] > start || span.getKey() >= start)
                {
                    touched.add(labels.get((int)span.getValue()[1]));
                }
            }
            out.add(new PacketEvent(event.frame(), event.timeNs(), event.flow(), event.direction(), event.src(), event.dst(),
                event.tcpSeq(), event.length(), touched, event.status()));
        }
        return out;
    }

    private static void rejectSnaplenCuts(
        final String name, final FlowTable.Connection connection, final DirectionStream stream)
    {
        long cutFrame = 0;
        final List<String> incomplete = new ArrayList<>();
        for (final DirectionStream.Item item : stream.items())
        {
            if (item.kind() != DirectionStream.Kind.INCOMPLETE)
            {
                continue;
            }
            final long frame = stream.cutFrameWithin(
                item.streamOffset(), item.streamOffset() + Math.max(item.recordLength(), 1));
            if (frame != 0 && (cutFrame == 0 || frame == cutFrame))
            {
                cutFrame = frame;
                incomplete.add("tcp seq " + stream.seqAt(item.streamOffset())
                    + (item.recordLength() > 0 ? " (" + item.recordLength() + " bytes)" : " (length unknown)"));
            }
        }
        if (cutFrame != 0)
        {
            throw new InputException(name + ": packet " + cutFrame + " was cut by the snaplen: flow "
                + connection.id() + " " + stream + " " + stream.cutDescription(cutFrame)
                + "; incomplete record" + (incomplete.size() > 1 ? "s" : "") + " at " + String.join(", ", incomplete));
        }
    }

    private static OutputStream plaintextCopy(final Path dir, final DirectionSetup setup)
    {
        if (dir == null)
        {
            return null;
        }
        final String file = (setup.source() + "_to_" + setup.destination()).replaceAll("[\\[\\]]", "")
            .replace(':', '_') + ".bin";
        try
        {
            Files.createDirectories(dir);
            return Files.newOutputStream(dir.resolve(file));
        }
        catch (final IOException e)
        {
            throw new InputException(dir.resolve(file) + ": cannot write the plaintext (" + e.getMessage() + ")");
        }
    }

    private static void close(final OutputStream out)
    {
        try
        {
            out.close();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
