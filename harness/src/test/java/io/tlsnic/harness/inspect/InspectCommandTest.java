package io.tlsnic.harness.inspect;

import static io.tlsnic.harness.inspect.TinyCapture.concat;
import static io.tlsnic.harness.inspect.TinyCapture.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsnic.harness.cli.CliRun;
import io.tlsnic.harness.cli.TlsnicMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tlsnic inspect} as a script sees it: tables, inspect.json, help, exit codes, one-line errors. */
class InspectCommandTest
{
    private static final Path LOSSY = pcaps().resolve("tls12-aes128gcm-small-lossy.pcap");

    @TempDir
    Path temp;

    /** What the CLI printed and returned. */
    @Test
    void shouldPrintEveryTableForEachDirectionAndTheTotal()
    {
        final CliRun run = tlsnic("inspect", LOSSY.toString());

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertTrue(run.out().startsWith(LOSSY + ": 1059 packets (1059 TCP), link type Ethernet, 1 TCP connection; 2 TLS"
            + " flow directions, 0 skipped"), run.out());
        for (final String title : List.of("records (", "record lengths", "segments with payload",
            "record starts per segment", "splits (", "arrival by TCP seq"))
        {
            assertTrue(run.out().contains("\n" + title), title + " in " + run.out());
        }
        assertEquals(6, run.out().lines().filter(line -> line.startsWith("all   total")).count(), run.out());
        assertEquals(7, run.out().lines().filter(line -> line.startsWith("1     c2s")).count(), run.out());
    }

    @Test
    void shouldWriteTheSameInspectJsonOnEveryRunWithTheFiguresOfTheTable() throws Exception
    {
        final CliRun first = tlsnic("inspect", LOSSY.toString(), "--out", temp.resolve("a").toString());
        final CliRun second = tlsnic("inspect", LOSSY.toString(), "--out", temp.resolve("b").toString());

        assertEquals(TlsnicMain.EXIT_OK, first.exitCode(), first.err());
        assertEquals(TlsnicMain.EXIT_OK, second.exitCode(), second.err());
        final byte[] json = Files.readAllBytes(temp.resolve("a").resolve("inspect.json"));
        assertArrayEquals(json, Files.readAllBytes(temp.resolve("b").resolve("inspect.json")));
        assertTrue(first.out().endsWith("report: " + temp.resolve("a").resolve("inspect.json") + "\n"), first.out());
        final JsonNode report = new ObjectMapper().readTree(json);
        final JsonNode c2s = report.get("directions").get(0);
        assertEquals("c2s", c2s.get("direction").asText());
        assertEquals(405, c2s.get("figures").get("records").get("count").asLong());
        assertEquals(7, c2s.get("figures").get("loss").get("gaps").asLong());
        assertEquals(report.get("directions").get(0).get("figures").get("segments").get("count").asLong()
            + report.get("directions").get(1).get("figures").get("segments").get("count").asLong(),
            report.get("total").get("segments").get("count").asLong());
        assertTrue(first.out().contains(String.format("%-5s %-5s %8d", "1", "c2s", 405)), first.out());
    }

    @Test
    void shouldPrintHelpWithTheOptionsAndExitCodes()
    {
        final CliRun run = tlsnic("inspect", "--help");

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode());
        assertTrue(run.out().contains("Usage: tlsnic inspect"), run.out());
        assertTrue(run.out().contains("--out=DIR"), run.out());
        assertTrue(run.out().contains("Exit 0 when"), run.out());
        assertEquals(TlsnicMain.EXIT_OK, tlsnic("help", "inspect").exitCode());
    }

    @Test
    void shouldRefuseAMissingCaptureWithOneLineAndExitThree()
    {
        final Path missing = temp.resolve("missing.pcap");

        final CliRun run = tlsnic("inspect", missing.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, missing + ": no such readable file");
    }

    @Test
    void shouldRefuseAFileThatIsNotACaptureWithOneLineAndExitThree() throws Exception
    {
        final Path notPcap = temp.resolve("not.pcap");
        Files.writeString(notPcap, "this is not a capture\n");

        final CliRun run = tlsnic("inspect", notPcap.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, notPcap + ": not a pcap or pcapng capture");
    }

    @Test
    void shouldNameThePacketAfterWhichATruncatedCaptureEnds() throws Exception
    {
        final byte[] whole = Files.readAllBytes(LOSSY);
        final Path truncated = temp.resolve("truncated.pcap");
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 30));

        final CliRun run = tlsnic("inspect", truncated.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, truncated + ": packet 1059 cannot be read, the file is truncated or damaged after packet 1058");
    }

    @Test
    void shouldNameThePacketTheSnaplenCutInsideATlsPayload() throws Exception
    {
        final byte[] stream = concat(record(23, 100), record(23, 100));
        final Path cut = TinyCapture.of(stream).slice(0, 50).cutBySnaplen(50, 150, 40 + 60).slice(150, stream.length)
            .write(temp.resolve("snaplen.pcap"));

        final CliRun run = tlsnic("inspect", cut.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, cut + ": packet 4 was cut by the snaplen: flow 1 10.0.0.1:40000 -> 10.0.0.2:443 lost 40"
            + " payload bytes at tcp seq 4294967151..4294967191; record geometry needs every payload byte");
    }

    @Test
    void shouldNameThePacketTheSnaplenCutInsideItsHeaders() throws Exception
    {
        final byte[] stream = record(23, 100);
        final Path cut = TinyCapture.of(stream).cutBySnaplen(0, stream.length, 30).write(temp.resolve("headers.pcap"));

        final CliRun run = tlsnic("inspect", cut.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, cut + ": packet 3 was cut by the snaplen inside its headers (30 of 145 bytes captured)");
    }

    @Test
    void shouldNameThePacketTheSnaplenCutBeforeItsPayloadEvenWhenNothingShowsItIsTls() throws Exception
    {
        final byte[] stream = record(23, 100);
        final Path cut = TinyCapture.of(stream).cutBySnaplen(0, stream.length, 40).write(temp.resolve("payload.pcap"));

        final CliRun run = tlsnic("inspect", cut.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, cut + ": packet 3 was cut by the snaplen: flow 1 10.0.0.1:40000 -> 10.0.0.2:443 lost 105"
            + " payload bytes at tcp seq 4294967041..4294967146");
    }

    @Test
    void shouldListTheSkippedDirectionsAndExitThreeWhenNoneIsTls() throws Exception
    {
        final Path http = TinyCapture.of("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).cutAt()
            .write(temp.resolve("http.pcap"));

        final CliRun run = tlsnic("inspect", http.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertTrue(run.out().contains("skipped: not TLS: the stream does not begin with a TLS record header"), run.out());
        assertTrue(run.out().contains("skipped: no payload"), run.out());
        assertOneLine(run, http + ": nothing to inspect: no TLS flow direction among 1 TCP connection");
    }

    private static void assertOneLine(final CliRun run, final String expected)
    {
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("tlsnic: " + expected), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }

    private static CliRun tlsnic(final String... args)
    {
        return CliRun.of(args);
    }

    private static Path pcaps()
    {
        final Path root = Path.of(System.getProperty("tlsnic.root", ".."));
        return Files.isDirectory(root.resolve("pcaps")) ? root.resolve("pcaps") : Path.of("pcaps");
    }
}
