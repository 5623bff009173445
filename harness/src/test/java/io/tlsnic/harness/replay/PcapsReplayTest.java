package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.harness.cli.CliRun;

/**
 * Every capture in pcaps/ (real OpenSSL peers, see pcaps/README.md) replays through the emulated NIC with the
 * plaintext its manifest records for each direction, and TX verification finds no mismatched record. On the clean
 * AES-GCM captures the device decrypts every application record; on the lossy ones mixed or software records
 * appear and the plaintext is still exact. ChaCha20 runs in software (the default device does not offload it).
 */
class PcapsReplayTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    static Stream<JsonNode> captures() throws IOException
    {
        final List<JsonNode> all = new ArrayList<>();
        JSON.readTree(pcaps().resolve("manifest.json").toFile()).get("captures").forEach(all::add);
        return all.stream();
    }

    private static Path pcaps()
    {
        return Path.of(System.getProperty("tlsnic.root", "..")).resolve("pcaps");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldReplayWithTheManifestPlaintextThroughTheDevice(final JsonNode capture) throws Exception
    {
        final String name = capture.get("name").asText();
        final Path out = temp.resolve("out");
        final CliRun run = Captures.tlsnic("replay", pcaps().resolve(capture.get("file").asText()).toString(),
            "--keylog", pcaps().resolve(capture.get("keylog").asText()).toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), name + ": " + run.out() + run.err());
        final JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(1, report.get("flows").size(), name);
        final boolean chacha = name.contains("chacha20");
        final boolean lossy = capture.get("loss_pct").asDouble() > 0;
        long mixedOrSoftware = 0;
        for (final JsonNode d : report.get("flows").get(0).get("directions"))
        {
            final String key = d.get("src").asText().equals(capture.get("directions").get("client_to_server").get("src")
                .asText()) ? "client_to_server" : "server_to_client";
            final JsonNode expected = capture.get("directions").get(key);
            assertEquals(expected.get("plaintext_bytes").asLong(), d.get("plaintextBytes").asLong(), name + " " + key);
            assertEquals(expected.get("plaintext_sha256").asText(), d.get("plaintextSha256").asText(), name + " " + key);
            assertEquals(0, d.get("txRecordsMismatched").asLong(), name + " " + key);
            assertTrue(d.get("txRecordsCompared").asLong() > 0, name + " " + key);
            if (chacha)
            {
                assertEquals(0, d.get("recordsDevice").asLong(), name + ": ChaCha20 is not offloaded");
            }
            else if (!lossy)
            {
                assertEquals(0, d.get("recordsMixed").asLong() + d.get("recordsSoftware").asLong(),
                    name + " " + key + ": the device decrypts every application record of a clean capture");
            }
            mixedOrSoftware += d.get("recordsMixed").asLong() + d.get("recordsSoftware").asLong();
        }
        if (lossy && !chacha)
        {
            assertTrue(mixedOrSoftware > 0, name + ": loss shows up as mixed or software records");
        }
    }
}
