package io.tlsnic.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code tlsnic simulate} as a script sees it: the contract's flags, report.json fields, exit codes, one-line errors. */
class SimulateCommandTest
{
    /** The last command run. */
    private CliRun last;

    /** Runs a command line, keeps it as {@link #last} and checks its exit code (stderr shown on failure). */
    private void assertExit(final int expected, final CliRun run)
    {
        last = run;
        assertEquals(expected, run.exitCode(), run.err());
    }

    @Test
    void shouldWriteAReportWhoseDirectionsCarryTheReplayFields(@TempDir final Path dir) throws Exception
    {
        final Path scenario = dir.resolve("s.json");
        Files.writeString(scenario, "{\"flows\": [{\"bytes\": \"128KiB\"}, {\"version\": \"1.2\", \"bytes\": 5000}]}");
        final Path report = dir.resolve("out");
        assertExit(TlsnicMain.EXIT_OK, CliRun.of("simulate", "--scenario", scenario.toString(), "--out",
            report.toString(), "--loss", "2", "--seed", "17", "--no-progress"));
        assertTrue(last.out().contains("scenario scenario: 2 flows, 272144 B of application data, loss 2%, seed 17"),
            last.out());
        assertTrue(last.out().contains("ok: 2 flows, every byte of 272144 application bytes arrived and matched"));
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
        assertExit(TlsnicMain.EXIT_INPUT, CliRun.of("simulate", "--scenario", scenario.toString()));
        assertEquals("tlsnic: " + scenario + " line 2: flows[0].bytez: unknown key \"bytez\" in flows[0] (known: bytes,"
            + " cipher, count, keyUpdate, offload, requestBytes, responseBytes, version, workload)\n", last.err());
    }

    @Test
    void shouldRejectANegativeLossFlagInOneLineAndExitTwo()
    {
        assertExit(TlsnicMain.EXIT_USAGE, CliRun.of("simulate", "--loss", "-1"));
        assertTrue(last.err().startsWith("tlsnic: --loss must be a percentage from 0 to 100, got -1\n"), last.err());
        assertFalse(last.err().contains("Exception"));
    }

    @Test
    void shouldRejectAnUnknownPresetAndAMissingFile()
    {
        assertExit(TlsnicMain.EXIT_USAGE, CliRun.of("simulate", "--preset", "huge"));
        assertTrue(last.err().startsWith("tlsnic: unknown preset 'huge' (known: clean, default, handshakes, keyupdate,"
            + " lossy)"), last.err());
        assertExit(TlsnicMain.EXIT_INPUT, CliRun.of("simulate", "--scenario", "/nonexistent.json"));
        assertEquals("tlsnic: /nonexistent.json: no such scenario file\n", last.err());
    }

    @Test
    void shouldListPresetsAndDocumentItsExitCodes()
    {
        assertExit(TlsnicMain.EXIT_OK, CliRun.of("simulate", "--list-presets"));
        assertTrue(last.out().startsWith("clean "), last.out());
        assertTrue(last.out().contains("default     8 flows"), last.out());
        assertExit(TlsnicMain.EXIT_OK, CliRun.of("simulate", "--help"));
        assertTrue(last.out().contains("--scenario=FILE"), last.out());
        assertTrue(last.out().contains("--keylog=FILE"), last.out());
        assertTrue(last.out().contains("130"), last.out());
    }
}
