package io.tlsnic.harness.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every capture in pcaps/ (real OpenSSL peers) against figures found independently: the manifest's per-direction
 * counts (records as tshark dissects them; segments, gaps, late fills and duplicates as {@code pcaps/analyze.py}
 * counts them by TCP seq), tshark's record lengths when tshark is installed, and sums that must add up by
 * construction.
 */
class PcapsInspectTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<JsonNode> captures() throws IOException
    {
        final List<JsonNode> all = new ArrayList<>();
        JSON.readTree(pcaps().resolve("manifest.json").toFile()).get("captures").forEach(all::add);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldCountWhatTheManifestCountsInEveryDirection(final JsonNode capture)
    {
        final String name = capture.get("name").asText();
        final InspectReport report = Inspector.inspect(pcaps().resolve(capture.get("file").asText()));

        assertEquals(2, report.directions().size(), name);
        assertEquals(List.of("c2s", "s2c"), report.directions().stream().map(DirectionReport::direction).toList());
        for (final DirectionReport direction : report.directions())
        {
            final String key = direction.direction().equals("c2s") ? "client_to_server" : "server_to_client";
            final JsonNode expected = capture.get("directions").get(key);
            final GeometryFigures f = direction.figures();
            final String where = name + " " + key;
            assertEquals(expected.get("src").asText(), direction.src(), where);
            assertEquals(expected.get("tls_records").asLong(), f.records().count(), where);
            assertEquals(expected.get("data_segments").asLong(), f.segments().count(), where);
            assertEquals(expected.get("max_segment_payload").asLong(), f.segments().payload().max(), where);
            assertEquals(expected.get("gap_count").asLong(), f.loss().gaps(), where);
            assertEquals(expected.get("gap_bytes").asLong(), f.loss().gapBytes(), where);
            assertEquals(expected.get("late_fill_segments").asLong(), f.loss().outOfOrder(), where);
            assertEquals(expected.get("duplicate_segments").asLong(), f.loss().retransmitted(), where);
            assertEquals(0, f.loss().missingBytes(), where + ": every byte arrives in the end");
            assertEquals(0, f.records().incomplete(), where);
            assertAddsUp(f, where);
        }
        assertEquals(report.directions().stream().mapToLong(d -> d.figures().records().count()).sum(),
            report.total().records().count(), name);
        assertEquals(report.directions().stream().mapToLong(d -> d.figures().segments().count()).sum(),
            report.total().segments().count(), name);
        assertEquals(report.directions().stream().mapToLong(d -> d.figures().loss().gaps()).sum(),
            report.total().loss().gaps(), name);
        assertAddsUp(report.total(), name + " total");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tls12-aes128gcm-small-clean", "tls13-chacha20-bulk-clean", "tls13-aes128gcm-bulk-lossy",
        "tls12-chacha20-small-lossy"})
    void shouldAgreeWithTsharkOnEveryRecordLengthAndType(final String name) throws Exception
    {
        final Path capture = pcaps().resolve(name + ".pcap");
        final Map<String, TsharkRecords> tshark = tsharkRecords(capture);
        assumeTrue(tshark != null, "tshark is not installed");

        final InspectReport report = Inspector.inspect(capture);

        for (final DirectionReport direction : report.directions())
        {
            final TsharkRecords records = tshark.get(direction.src().substring(direction.src().lastIndexOf(':') + 1));
            final List<Integer> lengths = new ArrayList<>();
            records.lengths().forEach(length -> lengths.add(length + 5));
            final Map<String, Long> byType = new HashMap<>(Map.of(
                "change_cipher_spec", 0L, "alert", 0L, "handshake", 0L, "application_data", 0L));
            for (final int type : records.types())
            {
                byType.merge(List.of("change_cipher_spec", "alert", "handshake", "application_data").get(type - 20), 1L,
                    Long::sum);
            }
            Collections.sort(lengths);
            final DistributionFigures length = direction.figures().records().length();
            final String where = name + " " + direction.direction();
            assertEquals(lengths.size(), length.count(), where);
            assertEquals(byType, direction.figures().records().byType(), where);
            assertEquals(lengths.stream().mapToLong(Integer::longValue).sum(), length.sum(), where);
            assertEquals(lengths.get(0).longValue(), length.min(), where);
            assertEquals(lengths.get(lengths.size() - 1).longValue(), length.max(), where);
            assertEquals(lengths.get((lengths.size() + 1) / 2 - 1).longValue(), length.p50(), where);
            assertEquals(lengths.get((lengths.size() * 99 + 99) / 100 - 1).longValue(), length.p99(), where);
        }
    }

    private static void assertAddsUp(final GeometryFigures f, final String where)
    {
        final long records = f.records().count();
        assertEquals(f.streamBytes(), f.records().length().sum(), where + ": record bytes are the stream bytes");
        assertEquals(records, f.records().byType().values().stream().mapToLong(Long::longValue).sum(), where);
        assertEquals(records, f.splits().records(), where);
        assertEquals(records, f.splits().startAtSegmentStart() + f.splits().startMidSegment(), where);
        assertEquals(records, f.segments().segmentsPerRecord().count(), where);
        assertEquals(records, f.segments().recordStarts().sum(), where + ": each record starts in one segment");
        assertEquals(f.splits().headerSplit(),
            f.splits().headerSplitAfterByte().values().stream().mapToLong(Long::longValue).sum(), where);
        assertTrue(f.splits().tagSplit() <= f.splits().protectedRecords(), where);
        assertEquals(0, f.segments().unframed(), where);
        assertEquals(f.segments().count() - f.loss().retransmitted(), f.segments().recordStarts().count(), where);
        assertEquals(f.segments().recordStarts().count(),
            f.segments().recordStarts().buckets().values().stream().mapToLong(Long::longValue).sum(), where);
        assertEquals(records, f.records().length().buckets().values().stream().mapToLong(Long::longValue).sum(), where);
    }

    /** The records of one direction as tshark dissects them: length fields, and content types in any order. */
    private record TsharkRecords(List<Integer> lengths, List<Integer> types)
    {
    }

    /**
     * @return per source port, the records tshark dissects (without keys a TLS 1.3 record's type is its opaque type,
     *     in a field of its own); null without tshark.
     */
    private static Map<String, TsharkRecords> tsharkRecords(final Path capture) throws Exception
    {
        final Process process;
        try
        {
            process = new ProcessBuilder("tshark", "-o", "tcp.reassemble_out_of_order:TRUE", "-r", capture.toString(),
                "-Y", "tls", "-T", "fields", "-E", "separator=/t", "-e", "tcp.srcport", "-e", "tls.record.length",
                "-e", "tls.record.content_type", "-e", "tls.record.opaque_type")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        }
        catch (final IOException notInstalled)
        {
            return null;
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue());
        final Map<String, TsharkRecords> records = new HashMap<>();
        for (final String line : output.split("\n"))
        {
            final String[] fields = line.split("\t", -1);
            if (fields.length < 4 || fields[1].isEmpty())
            {
                continue;
            }
            final TsharkRecords direction = records.computeIfAbsent(fields[0],
                port -> new TsharkRecords(new ArrayList<>(), new ArrayList<>()));
            for (final String length : fields[1].split(","))
            {
                direction.lengths().add(Integer.parseInt(length));
            }
            for (final String types : List.of(fields[2], fields[3]))
            {
                for (final String type : types.isEmpty() ? new String[0] : types.split(","))
                {
                    direction.types().add(Integer.parseInt(type));
                }
            }
        }
        return records;
    }

    private static Path pcaps()
    {
        final Path root = Path.of(System.getProperty("tlsnic.root", ".."));
        return Files.isDirectory(root.resolve("pcaps")) ? root.resolve("pcaps") : Path.of("pcaps");
    }
}
