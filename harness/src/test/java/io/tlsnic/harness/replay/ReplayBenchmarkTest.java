package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.tlsnic.harness.cli.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay benchmark compares like with like: tshark must follow the same plaintext (same SHA-256 per direction)
 * as the replay, or there are no figures. Small captures and no warm-up time keep these tests short.
 */
class ReplayBenchmarkTest
{
    private static final String CAPTURE = "tls13-aes128gcm-small-clean";

    @TempDir
    Path temp;

    @Test
    void shouldMeasureTheReplayAndTsharkOnTheSamePlaintext()
    {
        assumeTrue(tsharkInstalled(), "tshark is not installed");

        final ReplayBenchmark.Figures figures = ReplayBenchmark.measure(capture(), keys(), 2, 0, 0, "tshark");

        assertEquals(figures.plaintextBytes(), figures.tsharkPlaintextBytes());
        assertTrue(figures.plaintextBytes() > 0, figures.toString());
        assertTrue(figures.warmupReplays() >= ReplayBenchmark.MIN_WARMUP_REPLAYS, figures.toString());
        assertTrue(figures.replayBestNs() > 0 && figures.replayBestNs() <= figures.replayMedianNs(),
            figures.toString());
        assertEquals(figures.replayMBs() / figures.tsharkMBs(), figures.ratio(), 1e-9);
        assertEquals(0, figures.coldMBs());
        assertTrue(figures.replayCpuMeanNs() >= 0 && figures.cpuRatio() >= 0, figures.toString());
    }

    @Test
    void shouldRefuseFiguresWhenTsharkFollowsOtherPlaintext() throws IOException
    {
        final Path fake = script("fake-tshark", "#!/bin/sh\necho =====\necho 'Node 0: 10.77.0.1:4433'\n"
            + "echo 6869\nprintf '\\t6869\\n'\necho =====\n");

        final InputException e = assertThrows(InputException.class,
            () -> ReplayBenchmark.measure(capture(), keys(), 1, 0, 0, fake.toString()));

        assertTrue(e.getMessage().contains("tshark and tlsnic disagree on the plaintext"), e.getMessage());
        assertTrue(e.getMessage().contains("tshark: 2 + 2 bytes"), e.getMessage());
    }

    @Test
    void shouldNameTheBinaryThatCannotRun()
    {
        final Path missing = temp.resolve("no-tshark-here");

        final InputException e = assertThrows(InputException.class,
            () -> ReplayBenchmark.measure(capture(), keys(), 1, 0, 0, missing.toString()));

        assertTrue(e.getMessage().startsWith("cannot run " + missing), e.getMessage());
    }

    @Test
    void shouldReportAFailingTsharkWithItsFirstLine() throws IOException
    {
        final Path failing = script("failing-tshark", "#!/bin/sh\necho 'tshark: The file \"x\" does not exist.'\n"
            + "exit 2\n");

        final InputException e = assertThrows(InputException.class,
            () -> ReplayBenchmark.measure(capture(), keys(), 1, 0, 0, failing.toString()));

        assertTrue(e.getMessage().endsWith("failed on " + capture() + ": tshark: The file \"x\" does not exist."),
            e.getMessage());
    }

    private Path script(final String name, final String text) throws IOException
    {
        final Path file = temp.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static Path capture()
    {
        return pcaps().resolve(CAPTURE + ".pcap");
    }

    private static Path keys()
    {
        return pcaps().resolve(CAPTURE + ".keys");
    }

    private static Path pcaps()
    {
        return Path.of(System.getProperty("tlsnic.root", "..")).resolve("pcaps");
    }

    private static boolean tsharkInstalled()
    {
        try
        {
            return new ProcessBuilder("tshark", "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        }
        catch (final IOException e)
        {
            return false;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
