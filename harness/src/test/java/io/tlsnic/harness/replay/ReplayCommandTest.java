package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tlsnic.harness.cli.CliRun;
import io.tlsnic.harness.cli.TlsnicMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest
{
    @Test
    void shouldExplainItselfWithHelp()
    {
        final CliRun run = Captures.tlsnic("replay", "--help");

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode());
        assertTrue(run.out().contains("CAPTURE") && run.out().contains("--keylog") && run.out().contains("--psk")
            && run.out().contains("--out") && run.out().contains("--plaintext-dir") && run.out().contains("--receiver"),
            run.out());
    }

    @Test
    void shouldTreatAMissingCaptureArgumentAsAUsageError()
    {
        final CliRun run = Captures.tlsnic("replay", "--keylog", "x.keys");

        assertEquals(TlsnicMain.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("CAPTURE"), run.err());
    }

    @Test
    void shouldRefuseAnUnknownReceiverAsAUsageError()
    {
        final CliRun run = Captures.tlsnic("replay", Captures.external("ws-tls12-aes256gcm.pcap").toString(),
            "--psk", "ca19e028a8a372ad2d325f950fcaceed", "--receiver", "fpga");

        assertEquals(TlsnicMain.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("--receiver must be device or software"), run.err());
    }

    @Test
    void shouldRefuseAPskThatIsNotHex()
    {
        final CliRun run = Captures.tlsnic("replay", Captures.external("ws-tls12-aes256gcm.pcap").toString(),
            "--psk", "xyz");

        assertEquals(TlsnicMain.EXIT_INPUT, run.exitCode());
        assertEquals("tlsnic: --psk: not hex digits or an odd number of them (3 characters given)", run.err().strip());
    }

    @Test
    void shouldWriteTheSameReportAndEventsBytesForTheSameCapture(@TempDir final java.nio.file.Path dir) throws Exception
    {
        final String capture = java.nio.file.Path.of(System.getProperty("tlsnic.root", "..")).resolve("pcaps")
            .resolve("tls12-aes128gcm-bulk-lossy.pcap").toString();
        final String keys = capture.replace(".pcap", ".keys");
        for (final String out : new String[] {"a", "b"})
        {
            assertEquals(TlsnicMain.EXIT_OK, Captures.tlsnic("replay", capture, "--keylog", keys, "--out",
                dir.resolve(out).toString()).exitCode());
        }
        for (final String file : new String[] {"report.json", "events.jsonl"})
        {
            assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(dir.resolve("a").resolve(file)),
                java.nio.file.Files.readAllBytes(dir.resolve("b").resolve(file))), file + " differs between runs");
        }
    }
}
