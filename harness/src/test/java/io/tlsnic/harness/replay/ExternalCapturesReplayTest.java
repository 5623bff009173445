package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.harness.cli.CliRun;

/**
 * Every third-party capture under vectors/external-pcaps replays with exit 0, and each direction's plaintext is the
 * plaintext tshark decrypts (sizes and SHA-256 in external-pcaps-expected.json, made by the script beside it),
 * through the device receiver (the default) and the software one.
 * <p>
 * Through the device, every record is decrypted by the emulated NIC (none mixed, none in software) except where the
 * capture makes that impossible: in ws-tls13-rfc8446 flow 2 the server's Finished and its NewSessionTicket share
 * frame 9, so the RX context starts at a seq inside a packet; the device tracks from that record start but cannot
 * mark a packet decrypted whose first bytes it was not installed for, so the NewSessionTicket (a control record)
 * is opened in software, and the two application records after it are decrypted by the device.
 */
class ExternalCapturesReplayTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    static Stream<Arguments> captures() throws IOException
    {
        final Map<String, List<JsonNode>> byCapture = new LinkedHashMap<>();
        for (final JsonNode entry : expected().get("captures"))
        {
            byCapture.computeIfAbsent(entry.get("capture").asText(), k -> new ArrayList<>()).add(entry);
        }
        return byCapture.entrySet().stream().flatMap(e -> Stream.of("device", "software")
            .map(receiver -> Arguments.of(e.getKey(), e.getValue(), receiver)));
    }

    /** Directions ("capture src -> dst") whose records the device cannot decrypt, with how many; 0 elsewhere. */
    private static final Map<String, Long> SOFTWARE_THROUGH_DEVICE = Map.of(
        "ws-tls13-rfc8446.pcap 10.9.0.2:443 -> 10.9.0.1:38290", 1L);

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("captures")
    void shouldReplayWithExitZeroAndTheSamePlaintextAsTshark(final String capture, final List<JsonNode> streams,
        final String receiver) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("replay", Captures.external(capture).toString(),
            "--receiver", receiver));
        final String[] keyArgs = streams.get(0).get("keyArgs").asText().split(" ");
        args.add(keyArgs[0]);
        args.add(keyArgs[0].equals("--keylog") ? Captures.vectors(keyArgs[1].substring("vectors/".length()))
            .toString() : keyArgs[1]);
        final Path out = temp.resolve("out");
        final Path plaintext = temp.resolve("plaintext");
        args.addAll(List.of("--out", out.toString(), "--plaintext-dir", plaintext.toString()));

        final CliRun run = Captures.tlsnic(args.toArray(new String[0]));

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals("", run.err());
        final JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(streams.size(), report.get("flows").size(), "one flow per tshark TCP stream");
        for (final JsonNode stream : streams)
        {
            final JsonNode flow = flowWithClient(report, stream.get("client").asText());
            final JsonNode c2s = flow.get("directions").get(0);
            final JsonNode s2c = flow.get("directions").get(1);
            assertEquals(stream.get("clientBytes").asLong(), c2s.get("plaintextBytes").asLong(), "client bytes");
            assertEquals(stream.get("clientSha256").asText(), c2s.get("plaintextSha256").asText(), "client sha");
            assertEquals(stream.get("serverBytes").asLong(), s2c.get("plaintextBytes").asLong(), "server bytes");
            assertEquals(stream.get("serverSha256").asText(), s2c.get("plaintextSha256").asText(), "server sha");
            for (final JsonNode direction : List.of(c2s, s2c))
            {
                assertEquals(0, direction.get("txRecordsMismatched").asLong());
                assertEquals(direction.get("records").asLong(), direction.get("txRecordsCompared").asLong());
                assertEquals(receiver, direction.get("receiver").asText());
                if (receiver.equals("software"))
                {
                    assertEquals(direction.get("records").asLong(), direction.get("recordsSoftware").asLong());
                }
                else
                {
                    final String name = capture + " " + direction.get("src").asText() + " -> "
                        + direction.get("dst").asText();
                    final long software = SOFTWARE_THROUGH_DEVICE.getOrDefault(name, 0L);
                    assertEquals(0, direction.get("recordsMixed").asLong(), name);
                    assertEquals(software, direction.get("recordsSoftware").asLong(), name);
                    assertEquals(direction.get("records").asLong() - software,
                        direction.get("recordsDevice").asLong(), name);
                    final JsonNode counters = direction.get("receiverCounters");
                    assertTrue(counters.get("framesToNic").asLong() > 0, name);
                    assertEquals(counters.get("framesToNic").asLong(), counters.get("checksumsRecomputed").asLong());
                    assertEquals(1, counters.get("rxOffloaded").asLong(), name + " RX context on the device");
                }
                assertEquals(direction.get("plaintextSha256").asText(), sha256(plaintext.resolve(
                    (direction.get("src").asText() + "_to_" + direction.get("dst").asText()).replace(':', '_')
                    + ".bin")));
            }
        }
        assertTrue(run.out().contains(receiver.equals("device") ? "checksums recomputed: " : "software kTLS"),
            run.out());
        final List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
        if (receiver.equals("device"))
        {
            assertTrue(events.stream().anyMatch(e -> e.contains("\"status\":\"decrypted\"")),
                "some packets are marked decrypted by the device");
        }
        assertEquals(report.get("packets").asLong(), events.size(), "one event per packet");
        for (int i = 0; i < events.size(); i++)
        {
            assertEquals(i + 1, JSON.readTree(events.get(i)).get("frame").asLong(), "events follow packet numbers");
        }
    }

    private static JsonNode flowWithClient(final JsonNode report, final String client)
    {
        for (final JsonNode flow : report.get("flows"))
        {
            if (flow.get("client").asText().equals(client))
            {
                return flow;
            }
        }
        throw new AssertionError("no flow with client " + client + " in " + report);
    }

    static JsonNode expected() throws IOException
    {
        try (InputStream in = ExternalCapturesReplayTest.class.getResourceAsStream("/external-pcaps-expected.json"))
        {
            return JSON.readTree(in);
        }
    }

    static String sha256(final Path file) throws Exception
    {
        assertTrue(Files.exists(file), file + " exists");
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
