package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tlsnic.harness.cli.CliRun;
import io.tlsnic.harness.cli.TlsnicMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken or unusable inputs: one clear line naming the file and the packet or line, the right exit code, no trace. */
class BadInputReplayTest
{
    private static final String TLS13 = "ws-tls13-rfc8446";

    @TempDir
    Path temp;

    @Test
    void shouldNameThePacketAfterWhichATruncatedFileEnds() throws Exception
    {
        final byte[] whole = Files.readAllBytes(Captures.external(TLS13 + ".pcap"));
        final Path truncated = temp.resolve("truncated.pcap");
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 50));

        final CliRun run = replay(truncated, "--keylog", keys(TLS13));

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, truncated.toString(), "packet 13 cannot be read", "truncated or damaged after packet 12");
    }

    @Test
    void shouldRefuseAFileThatIsNotACapture() throws Exception
    {
        final Path notPcap = temp.resolve("keys-not-pcap.pcap");
        Files.writeString(notPcap, "CLIENT_RANDOM 00 11\nthis is a key log, not a capture\n");

        final CliRun run = replay(notPcap);

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, notPcap.toString(), "not a pcap or pcapng capture");
    }

    @Test
    void shouldRefuseAnUnsupportedLinkType() throws Exception
    {
        final Path capture = temp.resolve("ieee802_11.pcap");
        Captures.writePcap(capture, 105, List.of(new Captures.Packet(new byte[40])));

        final CliRun run = replay(capture);

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, capture.toString(), "link type 105", "is not supported");
    }

    @Test
    void shouldNameTheFlowSeqAndRecordsOfAPacketCutByTheSnaplen() throws Exception
    {
        final List<Captures.Packet> packets = new ArrayList<>();
        for (final Captures.Packet packet : Captures.packets(Captures.external("zeek-tls12-decryption.pcap")))
        {
            final int snaplen = 300;
            packets.add(packet.data().length <= snaplen ? packet
                : new Captures.Packet(Arrays.copyOf(packet.data(), snaplen), packet.originalLength()));
        }
        final Path cut = temp.resolve("snaplen300.pcap");
        Captures.writePcap(cut, Captures.DLT_EN10MB, packets);

        final CliRun run = replay(cut, "--keylog", keys("zeek-tls12-decryption"));

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, cut.toString(), "packet 4 was cut by the snaplen", "flow 1 192.168.100.70:48216 -> "
            + "193.99.144.80:443", "lost 283 payload bytes at tcp seq 671564714..671564997",
            "incomplete record at tcp seq 671564480 (517 bytes)");
    }

    @Test
    void shouldWarnWithTheLineNumberOfMalformedKeyLogLinesAndUseTheOthers() throws Exception
    {
        final List<String> lines = new ArrayList<>(Files.readAllLines(Captures.external(TLS13 + ".keys")));
        lines.add(1, "CLIENT_RANDOM 0011 not-hex");
        lines.add(3, "NO_SUCH_LABEL " + "00".repeat(32) + " " + "00".repeat(48));
        final Path keyLog = temp.resolve("damaged.keys");
        Files.write(keyLog, lines);

        final CliRun run = replay(Captures.external(TLS13 + ".pcap"), "--keylog", keyLog.toString());

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode(), run.err());
        assertEquals(2, run.errLines().size(), run.err());
        assertTrue(run.errLines().get(0).contains(keyLog + " line 2: "), run.err());
        assertTrue(run.errLines().get(1).contains(keyLog + " line 4: "), run.err());
        assertNoTrace(run);
    }

    @Test
    void shouldReportAFlowWithoutKeyAndReplayTheOthers() throws Exception
    {
        final List<String> keptLines = new ArrayList<>();
        for (final String line : Files.readAllLines(Captures.external(TLS13 + ".keys")))
        {
            if (!line.contains(" b67947da"))
            {
                keptLines.add(line); // drops every secret of the second (resumed) connection
            }
        }
        final Path keyLog = temp.resolve("first-connection-only.keys");
        Files.write(keyLog, keptLines);

        final CliRun run = replay(Captures.external(TLS13 + ".pcap"), "--keylog", keyLog.toString());

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode(), run.err());
        assertOneLine(run, "flow 2 (10.9.0.1:38290 <-> 10.9.0.2:443, first packet 7) not replayed: no_key",
            "no SERVER_HANDSHAKE_TRAFFIC_SECRET line for client random b67947da9d3e4b2c...");
        assertTrue(run.out().contains("All replayed flows verified."), run.out());
    }

    @Test
    void shouldSkipANonTlsFlowWithANote() throws Exception
    {
        final List<Captures.Packet> packets = new ArrayList<>();
        for (final byte[] ip : Captures.ipPackets(Captures.external("illustrated-tls13.pcap")))
        {
            packets.add(new Captures.Packet(Captures.withLinkHeader(Captures.DLT_NULL, ip)));
        }
        packets.add(new Captures.Packet(Captures.withLinkHeader(Captures.DLT_NULL, Captures.ipv4Tcp(
            0x0A000001, 40000, 0x0A000002, 80, 1000, 0x18,
            "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))));
        final Path capture = temp.resolve("with-http.pcap");
        Captures.writePcap(capture, Captures.DLT_NULL, packets);

        final CliRun run = replay(capture, "--keylog", keys("illustrated-tls13"));

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode(), run.err());
        assertOneLine(run, capture.toString(), "flow 2 (10.0.0.1:40000 <-> 10.0.0.2:80, first packet 23) not"
            + " replayed: not_tls", "at packet 23 is not a TLS record");
    }

    @Test
    void shouldSayNothingCanBeReplayedFromACaptureWithoutHandshake() throws Exception
    {
        final List<Captures.Packet> packets = Captures.packets(Captures.external("zeek-tls12-decryption.pcap"));
        final Path capture = temp.resolve("no-handshake.pcap");
        Captures.writePcap(capture, Captures.DLT_EN10MB, packets.subList(9, packets.size()));

        final CliRun run = replay(capture, "--keylog", keys("zeek-tls12-decryption"));

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertEquals(2, run.errLines().size(), run.err());
        assertTrue(run.errLines().get(0).contains("no_handshake: no ClientHello in the capture: the first record"
            + " 192.168.100.70:48216 -> 193.99.144.80:443 (packet 1) is application_data"), run.err());
        assertTrue(run.errLines().get(1).contains(capture + ": nothing to replay"), run.err());
        assertNoTrace(run);
    }

    @Test
    void shouldReportAKeyLogThatCannotBeRead()
    {
        final Path missing = temp.resolve("missing.keys");

        final CliRun run = replay(Captures.external(TLS13 + ".pcap"), "--keylog", missing.toString());

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertOneLine(run, missing + ": cannot read the key log");
    }

    @Test
    void shouldNeverPrintTheKeysEvenWhenTheyDoNotFit() throws Exception
    {
        final String psk = "00112233445566778899aabbccddeeff";

        final CliRun run = replay(Captures.external("ws-tls12-aes256gcm.pcap"), "--psk", psk);

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertTrue(run.err().contains("does not authenticate"), run.err());
        assertFalse((run.out() + run.err()).contains(psk));
        assertNoTrace(run);
    }

    private static CliRun replay(final Path capture, final String... options)
    {
        final List<String> args = new ArrayList<>(List.of("replay", capture.toString()));
        args.addAll(List.of(options));
        return Captures.tlsnic(args.toArray(new String[0]));
    }

    private static String keys(final String name)
    {
        return Captures.external(name + ".keys").toString();
    }

    private static void assertOneLine(final CliRun run, final String... parts)
    {
        assertEquals(1, run.errLines().size(), "one line on stderr: " + run.err());
        for (final String part : parts)
        {
            assertTrue(run.err().contains(part), "'" + part + "' in: " + run.err());
        }
        assertNoTrace(run);
    }

    private static void assertNoTrace(final CliRun run)
    {
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
    }
}
