package io.tlsnic.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tlsnic.harness.cli.CliRun;
import io.tlsnic.harness.cli.TlsnicMain;
import io.tlsnic.wire.util.Hex;

/**
 * The pcap and key log a scenario writes decrypt in tshark, and the application data tshark follows in each TLS
 * stream is exactly what the scenario's receivers got (by SHA-256, both ways, every flow); and our own replay of
 * the same capture agrees.
 */
class TsharkDecryptsSimulationTest
{
    private static final String SCENARIO = """
        {"seed": 21, "link": {"lossPercent": 1, "reorderPercent": 0.5},
         "flows": [ {"version": "1.2", "cipher": "aes-128-gcm", "bytes": "192KiB"},
                    {"version": "1.2", "cipher": "chacha20", "bytes": "100KiB", "workload": "small-writes"},
                    {"version": "1.3", "cipher": "aes-256-gcm", "bytes": "192KiB", "workload": "sendfile"},
                    {"version": "1.3", "cipher": "aes-128-gcm", "bytes": "192KiB", "keyUpdate": true},
                    {"version": "1.3", "cipher": "chacha20", "bytes": "96KiB", "workload": "request-response",
                     "requestBytes": 200, "responseBytes": 3000} ]}""";

    @Test
    void shouldDecryptInTsharkToTheBytesEveryReceiverGot(@TempDir final Path dir) throws Exception
    {
        final String tshark = ExternalTools.require("tshark");
        final Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, SCENARIO);
        final Path pcap = dir.resolve("wire.pcap");
        final Path keys = dir.resolve("wire.keys");
        final Path out = dir.resolve("out");
        assertEquals(TlsnicMain.EXIT_OK, tlsnic("simulate", "--scenario", scenario.toString(), "--out", out.toString(),
            "--pcap", pcap.toString(), "--keylog", keys.toString(), "--no-progress"));
        final JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        final Map<String, String> expected = new HashMap<>();
        for (final JsonNode flow : report.get("flows"))
        {
            for (final JsonNode d : flow.get("directions"))
            {
                expected.put(d.get("src").asText() + ">" + d.get("dst").asText(), d.get("plaintextSha256").asText());
            }
        }
        assertEquals(10, expected.size());

        final Map<String, String> followed = new HashMap<>();
        for (int stream = 0; stream < 5; stream++)
        {
            // Application data is random bytes: without this, tshark's heuristic dissectors take some records for
            // other protocols (CredSSP, ...), hold them back for desegmentation and the follow output loses them.
            final String text = ExternalTools.run(List.of(tshark, "-n", "-r", pcap.toString(), "-o",
                "tls.keylog_file:" + keys, "-o", "tls.desegment_ssl_application_data:FALSE", "-q", "-z",
                "follow,tls,raw," + stream));
            followed.putAll(follow(text, stream));
        }
        assertEquals(expected, followed, "tshark's decrypted streams against the scenario's receivers");

        // Our own replay of the same capture with the same key log agrees too.
        final Path replayOut = dir.resolve("replay");
        assertEquals(TlsnicMain.EXIT_OK, tlsnic("replay", pcap.toString(), "--keylog", keys.toString(), "--out",
            replayOut.toString()));
        final Map<String, String> replayed = new HashMap<>();
        for (final JsonNode flow : new ObjectMapper().readTree(replayOut.resolve("report.json").toFile()).get("flows"))
        {
            for (final JsonNode d : flow.get("directions"))
            {
                replayed.put(d.get("src").asText() + ">" + d.get("dst").asText(), d.get("plaintextSha256").asText());
            }
        }
        assertEquals(expected, replayed);
    }

    /**
     * Parses {@code -z follow,tls,raw}: node 0 lines flush left, node 1 lines after a tab, hex. Node 0 is whichever
     * side sent TLS data first; streams are numbered in connection order, so stream {@code i} is the client port
     * 49152 + i to the server port 4430 + i.
     */
    private static Map<String, String> follow(final String text, final int stream) throws Exception
    {
        final String client = "10.9.0.1:" + (49152 + stream);
        final String server = "10.9.0.2:" + (4430 + stream);
        String node0 = null;
        final ByteArrayOutputStream zero = new ByteArrayOutputStream();
        final ByteArrayOutputStream one = new ByteArrayOutputStream();
        for (final String line : text.lines().toList())
        {
            if (line.startsWith("Node 0: "))
            {
                node0 = line.substring(8).trim();
            }
            else if (line.startsWith("\t") && line.trim().matches("[0-9a-f]+"))
            {
                one.write(Hex.decode(line.trim()));
            }
            else if (line.matches("[0-9a-f]+"))
            {
                zero.write(Hex.decode(line));
            }
        }
        assertTrue(client.equals(node0) || server.equals(node0), "stream " + stream + ": node 0 is " + node0);
        final boolean clientFirst = client.equals(node0);
        final Map<String, String> m = new HashMap<>();
        m.put(client + ">" + server, sha((clientFirst ? zero : one).toByteArray()));
        m.put(server + ">" + client, sha((clientFirst ? one : zero).toByteArray()));
        return m;
    }

    private static String sha(final byte[] b) throws Exception
    {
        return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static int tlsnic(final String... args)
    {
        return CliRun.of(args).exitCode();
    }
}
