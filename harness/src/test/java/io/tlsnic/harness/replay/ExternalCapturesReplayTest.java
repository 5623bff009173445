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

/**
 * Every third-party capture under vectors/external-pcaps replays with exit 0, and each direction's plaintext is the
 * plaintext tshark decrypts (sizes and SHA-256 in external-pcaps-expected.json, made by the script beside it).
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
        return byCapture.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldReplayWithExitZeroAndTheSamePlaintextAsTshark(final String capture, final List<JsonNode> streams)
        throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("replay", Captures.external(capture).toString()));
        final String[] keyArgs = streams.get(0).get("keyArgs").asText().split(" ");
        args.add(keyArgs[0]);
        args.add(keyArgs[0].equals("--keylog") ? Captures.vectors(keyArgs[1].substring("vectors/".length()))
            .toString() : keyArgs[1]);
        final Path out = temp.resolve("out");
        final Path plaintext = temp.resolve("plaintext");
        args.addAll(List.of("--out", out.toString(), "--plaintext-dir", plaintext.toString()));

        final Captures.Run run = Captures.tlsnic(args.toArray(new String[0]));

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
                assertEquals(direction.get("records").asLong(), direction.get("recordsSoftware").asLong());
                assertEquals(direction.get("plaintextSha256").asText(), sha256(plaintext.resolve(
                    (direction.get("src").asText() + "_to_" + direction.get("dst").asText()).replace(':', '_')
                    + ".bin")));
            }
        }
        final List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
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
