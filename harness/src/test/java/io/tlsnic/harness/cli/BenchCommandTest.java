package io.tlsnic.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tlsnic.harness.bench.ContextScaleBenchmark;
import io.tlsnic.harness.replay.ReplayBenchmark;

/** The bench table: verdicts against targets, and one row per figure. */
class BenchCommandTest
{
    @Test
    void shouldSayByHowMuchATargetIsMetOrMissed()
    {
        assertEquals("met (1.20x)", BenchCommand.atLeast(6e6, 5e6));
        assertEquals("missed by 40% (0.60x)", BenchCommand.atLeast(3e6, 5e6));
        assertEquals("met (50% of limit)", BenchCommand.atMost(128, 256));
        assertEquals("missed by 25% (1.25x limit)", BenchCommand.atMost(320, 256));
    }

    @Test
    void shouldPrintMemoryRowsWithTheirLimitInOneTable()
    {
        final List<BenchCommand.Row> rows =
            BenchCommand.memoryRows(new ContextScaleBenchmark.MemoryFigures(170, 171.5, 0.0));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchCommand.printTable(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("170 B") && text.contains("<= 256 B") && text.contains("met (66% of limit)"), text);
        assertTrue(text.contains("JDK:") && text.contains("reference/target"), text);
    }

    @Test
    void shouldPrintTheReplayRatioAgainstItsTargetOrSayWhyItWasSkipped()
    {
        // 4 MB in 50 ms against 4 MB in 250 ms: 80 MB/s against 16 MB/s.
        final BenchCommand.Row measured = BenchCommand.replayRow(
            new ReplayBenchmark.Figures(4_000_000, 4_000_000, 30, 10, 50_000_000, 60_000_000, 250_000_000, 300_000_000,
                0, 0, 0, 40_000_000, 280_000_000), null);
        assertEquals("80.0 MB/s", measured.measured());
        assertEquals("tshark 16.0 MB/s", measured.reference());
        assertEquals("5.0x tshark (CPU time 7.0x); >= 10x: missed by 50% (0.50x)", measured.result());
        final BenchCommand.Row skipped = BenchCommand.replayRow(null, "skipped: tshark not found");
        assertEquals("skipped: tshark not found", skipped.measured());
        assertEquals(">= 10x tshark", skipped.reference());
    }
}
