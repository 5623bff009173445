package io.tlsnic.harness.replay;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes a {@link ReplayReport}: a table for people, {@code report.json} and {@code events.jsonl} for programs. */
public final class ReportWriter
{
    /** Name of the report in the output directory. */
    public static final String REPORT_FILE = "report.json";
    /** Name of the per-packet event log in the output directory. */
    public static final String EVENTS_FILE = "events.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper()
        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ReportWriter()
    {
    }

    /**
     * @param report the report.
     * @param out    where the table goes.
     */
    public static void printTable(final ReplayReport report, final PrintStream out)
    {
        out.printf("%s: %d packets, link type %s, replayed in %d ms%n", report.capture(), report.packets(),
            report.linkType(), report.replayMs());
        out.printf("%-4s %-3s %-44s %-7s %-30s %8s %10s %6s %4s %4s %4s %5s %9s  %s%n", "flow", "dir", "src -> dst",
            "version", "cipher", "records", "plaintext", "early", "dev", "mix", "sw", "ctrl", "tx cmp/bad", "verdict");
        for (final FlowReport flow : report.flows())
        {
            if (!flow.replayed())
            {
                out.printf("%-4d %-3s %-44s %s: %s%n", flow.flow(), "-", flow.client() + " <-> " + flow.server(),
                    flow.status().toLowerCase(java.util.Locale.ROOT), flow.reason());
                continue;
            }
            final List<DirectionReport> directions = flow.directions();
            for (int i = 0; i < directions.size(); i++)
            {
                final DirectionReport d = directions.get(i);
                final long control = d.controlRecords().values().stream().mapToLong(Long::longValue).sum();
                out.printf("%-4d %-3s %-44s %-7s %-30s %8d %10d %6d %4d %4d %4d %5d %4d/%-4d  %s%n", flow.flow(),
                    i == 0 ? "c2s" : "s2c", d.src() + " -> " + d.dst(), d.version(), shorten(d.cipher()), d.records(),
                    d.plaintextBytes(), d.earlyDataRecords(), d.recordsDevice(), d.recordsMixed(),
                    d.recordsSoftware(), control, d.txRecordsCompared(), d.txRecordsMismatched(), d.verdict());
                if (d.receiverNote() != null)
                {
                    out.printf("%-4s %-3s note: %s%n", "", "", d.receiverNote());
                }
            }
        }
        long frames = 0;
        long recomputed = 0;
        String receiver = null;
        for (final FlowReport flow : report.flows())
        {
            for (final DirectionReport d : flow.directions())
            {
                receiver = d.receiver();
                frames += d.receiverCounters().getOrDefault("framesToNic", 0L);
                recomputed += d.receiverCounters().getOrDefault("checksumsRecomputed", 0L);
            }
        }
        if ("device".equals(receiver))
        {
            out.printf("receiver: emulated NIC; frames fed: %d; checksums recomputed: %d (every frame is rebuilt"
                + " as Ethernet with fresh IPv4/TCP checksums)%n", frames, recomputed);
        }
        else if (receiver != null)
        {
            out.printf("receiver: software kTLS%n");
        }
    }

    /**
     * Writes {@code report.json} and {@code events.jsonl} into a directory.
     *
     * @param dir    output directory (created).
     * @param report the report.
     * @param events one per packet.
     * @throws IOException when a file cannot be written.
     */
    public static void writeFiles(final Path dir, final ReplayReport report, final List<PacketEvent> events)
        throws IOException
    {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(REPORT_FILE).toFile(), report);
        try (BufferedWriter writer = Files.newBufferedWriter(dir.resolve(EVENTS_FILE), StandardCharsets.UTF_8))
        {
            for (final PacketEvent event : events)
            {
                writer.write(JSON.writeValueAsString(event));
                writer.newLine();
            }
        }
    }

    private static String shorten(final String suite)
    {
        return suite.length() <= 30 ? suite : suite.substring(0, 29) + "~";
    }
}
