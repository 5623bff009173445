package io.tlsnic.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code tlsnic simulate} as a script sees it: the contract's flags, report.json fields, exit codes, one-line errors. */
class SimulateCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture()
    {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore()
    {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String stdout()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteAReportWhoseDirectionsCarryTheReplayFields(@TempDir final Path dir) throws Exception
    {
        final Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, "{\"flows\": [{\"bytes\": \"128KiB\"}, {\"version\": \"1.2\", \"bytes\": 5000}]}");
        final Path report = dir.resolve("out");
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("simulate", "--scenario", scenario.toString(), "--out",
            report.toString(), "--loss", "2", "--seed", "17", "--no-progress"), stderr());
        assertTrue(stdout().contains("scenario scenario: 2 flows, 272144 B of application data, loss 2%, seed 17"),
            stdout());
        assertTrue(stdout().contains("ok: 2 flows, every byte of 272144 application bytes arrived and matched"));
        final JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
        assertEquals(17, json.get("seed").asLong());
        assertEquals(2.0, json.get("link").get("lossPercent").asDouble());
        for (final JsonNode flow : json.get("flows"))
        {
            for (final JsonNode d : flow.get("directions"))
            {
                for (final String field : List.of("src", "dst", "plaintextBytes", "plaintextSha256", "records",
                    "recordsDevice", "recordsMixed", "recordsSoftware"))
                {
                    assertTrue(d.has(field), field);
                }
                assertTrue(d.get("src").asText().matches("10\\.9\\.0\\.[12]:\\d+"), d.get("src").asText());
                assertEquals(64, d.get("plaintextSha256").asText().length());
                assertEquals(d.get("records").asLong(), d.get("recordsDevice").asLong()
                    + d.get("recordsMixed").asLong() + d.get("recordsSoftware").asLong());
            }
        }
        assertTrue(Files.size(report.resolve("report.html")) > 10_000);
        assertTrue(Files.readString(report.resolve("events.jsonl")).lines().findFirst().orElseThrow()
            .startsWith("{\"frame\":1,\"timeNs\":0,\"event\":\"wire\""));
    }

    @Test
    void shouldRejectAScenarioFileWithAnUnknownKeyInOneLineAndExitThree(@TempDir final Path dir) throws Exception
    {
        final Path scenario = dir.resolve("bad.json");
        Files.writeString(scenario, "{\n  \"flows\": [{\"bytez\": 1}]\n}");
        assertEquals(TlsnicMain.EXIT_INPUT, TlsnicMain.execute("simulate", "--scenario", scenario.toString()));
        assertEquals("tlsnic: " + scenario + " line 2: flows[0].bytez: unknown key \"bytez\" in flows[0] (known: bytes,"
            + " cipher, count, keyUpdate, offload, requestBytes, responseBytes, version, workload)\n", stderr());
    }

    @Test
    void shouldRejectANegativeLossFlagInOneLineAndExitTwo()
    {
        assertEquals(TlsnicMain.EXIT_USAGE, TlsnicMain.execute("simulate", "--loss", "-1"));
        assertTrue(stderr().startsWith("tlsnic: --loss must be a percentage from 0 to 100, got -1\n"), stderr());
        assertFalse(stderr().contains("Exception"));
    }

    @Test
    void shouldRejectAnUnknownPresetAndAMissingFile()
    {
        assertEquals(TlsnicMain.EXIT_USAGE, TlsnicMain.execute("simulate", "--preset", "huge"));
        assertTrue(stderr().startsWith("tlsnic: unknown preset 'huge' (known: clean, default, handshakes, keyupdate,"
            + " lossy)"), stderr());
        err.reset();
        assertEquals(TlsnicMain.EXIT_INPUT, TlsnicMain.execute("simulate", "--scenario", "/nonexistent.json"));
        assertEquals("tlsnic: /nonexistent.json: no such scenario file\n", stderr());
    }

    @Test
    void shouldListPresetsAndDocumentItsExitCodes()
    {
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("simulate", "--list-presets"));
        assertTrue(stdout().startsWith("clean "), stdout());
        assertTrue(stdout().contains("default     8 flows"), stdout());
        out.reset();
        assertEquals(TlsnicMain.EXIT_OK, TlsnicMain.execute("simulate", "--help"));
        assertTrue(stdout().contains("--scenario=FILE"), stdout());
        assertTrue(stdout().contains("--keylog=FILE"), stdout());
        assertTrue(stdout().contains("130"), stdout());
    }
}
