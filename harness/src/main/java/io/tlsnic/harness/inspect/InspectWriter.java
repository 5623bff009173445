package io.tlsnic.harness.inspect;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes an {@link InspectReport}: tables for people, {@code inspect.json} for programs (the same figures). */
public final class InspectWriter
{
    /** Name of the report in the output directory. */
    public static final String REPORT_FILE = "inspect.json";

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final String KEY = "%-5s %-5s";

    private InspectWriter()
    {
    }

    /**
     * @param report the report.
     * @param out    where the tables go.
     */
    public static void printTable(final InspectReport report, final PrintStream out)
    {
        out.printf(Locale.ROOT, "%s: %d packets (%d TCP), link type %s, %d TCP connection%s; %d TLS flow direction%s, %d skipped%n",
            report.capture(), report.packets(), report.tcpPackets(), report.linkType(), report.connections(),
            report.connections() == 1 ? "" : "s", report.directions().size(),
            report.directions().size() == 1 ? "" : "s", report.skipped().size());
        out.printf(Locale.ROOT, KEY + " %-46s %9s %13s%n", "flow", "dir", "src -> dst", "1st pkt", "stream bytes");
        for (final DirectionReport d : report.directions())
        {
            out.printf(Locale.ROOT, KEY + " %-46s %9d %13d%n", d.flow(), d.direction(), d.src() + " -> " + d.dst(),
                d.firstPacket(), d.figures().streamBytes());
        }
        for (final SkippedDirection s : report.skipped())
        {
            out.printf(Locale.ROOT, KEY + " %-46s %9d skipped: %s%n", s.flow(), s.direction(), s.src() + " -> " + s.dst(),
                s.firstPacket(), s.reason());
        }
        if (report.directions().isEmpty())
        {
            return;
        }

        section(out, report, "records (length: whole record on the wire, 5-byte header included; percentiles"
            + " nearest-rank)", String.format(Locale.ROOT, "%8s %9s %5s %5s %8s %10s %6s %6s %8s %6s %6s", "records", "handshake",
            "ccs", "alert", "app_data", "incomplete", "min", "p50", "mean", "p99", "max"), f ->
            {
                final RecordFigures r = f.records();
                final Map<String, Long> t = r.byType();
                return String.format(Locale.ROOT, "%8d %9d %5d %5d %8d %10d", r.count(), t.get("handshake"),
                    t.get("change_cipher_spec"), t.get("alert"), t.get("application_data"), r.incomplete())
                    + stats(r.length());
            });
        section(out, report, "record lengths (bytes)", buckets(Buckets.BYTES), f -> counts(f.records().length()));
        section(out, report, "segments with payload (retransmissions included; payload bytes)",
            String.format(Locale.ROOT, "%8s %6s %6s %8s %6s %6s", "segments", "min", "p50", "mean", "p99", "max")
            + buckets(Buckets.BYTES), f -> String.format(Locale.ROOT, "%8d", f.segments().count()) + stats(f.segments().payload())
            + counts(f.segments().payload()));
        section(out, report, "record starts per segment (segments that first carried framed bytes) | segments per"
            + " whole record", buckets(Buckets.RECORD_STARTS) + String.format(Locale.ROOT, " %8s %6s |", "unframed", "mean")
            + buckets(Buckets.SEGMENTS) + String.format(Locale.ROOT, " %6s", "mean"), f ->
            {
                final SegmentFigures s = f.segments();
                return counts(s.recordStarts()) + String.format(Locale.ROOT, " %8d %6s |", s.unframed(), s.recordStarts().mean())
                    + counts(s.segmentsPerRecord()) + String.format(Locale.ROOT, " %6s", s.segmentsPerRecord().mean());
            });
        section(out, report, "splits (whole records against the segments that first carried them; header split after"
            + " byte 1..4)", String.format(Locale.ROOT, "%8s %9s %8s %9s %6s %6s %6s %6s %9s %9s", "records", "seg-start",
            "mid-seg", "hdr-split", "@1", "@2", "@3", "@4", "protected", "tag-split"), f ->
            {
                final SplitFigures s = f.splits();
                final Map<String, Long> at = s.headerSplitAfterByte();
                return String.format(Locale.ROOT, "%8d %9d %8d %9d %6d %6d %6d %6d %9d %9d", s.records(), s.startAtSegmentStart(),
                    s.startMidSegment(), s.headerSplit(), at.get("1"), at.get("2"), at.get("3"), at.get("4"),
                    s.protectedRecords(), s.tagSplit());
            });
        section(out, report, "arrival by TCP seq (retransmitted: every byte seen before; out-of-order: new bytes below"
            + " the highest seen; gap: a segment beyond every byte seen; missing: never carried)",
            String.format(Locale.ROOT, "%8s %7s %12s %6s %9s %8s %13s %12s", "retrans", "partly", "out-of-order", "gaps",
            "gap bytes", "missing", "missing bytes", "before start"), f ->
            {
                final LossFigures l = f.loss();
                return String.format(Locale.ROOT, "%8d %7d %12d %6d %9d %8d %13d %12d", l.retransmitted(), l.partlyRetransmitted(),
                    l.outOfOrder(), l.gaps(), l.gapBytes(), l.missingRanges(), l.missingBytes(), l.beforeStart());
            });
    }

    /**
     * Writes {@code inspect.json} into a directory, the same bytes for the same capture on every run.
     *
     * @param dir    output directory (created).
     * @param report the report.
     * @return the file written.
     * @throws IOException when it cannot be written.
     */
    public static Path writeJson(final Path dir, final InspectReport report) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(REPORT_FILE);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n",
            StandardCharsets.UTF_8);
        return file;
    }

    private static void section(final PrintStream out, final InspectReport report, final String title,
        final String header, final Function<GeometryFigures, String> row)
    {
        out.println();
        out.println(title);
        out.printf(Locale.ROOT, KEY + " %s%n", "flow", "dir", header);
        for (final DirectionReport d : report.directions())
        {
            out.printf(Locale.ROOT, KEY + " %s%n", d.flow(), d.direction(), row.apply(d.figures()));
        }
        if (report.directions().size() > 1)
        {
            out.printf(Locale.ROOT, KEY + " %s%n", "all", "total", row.apply(report.total()));
        }
    }

    private static String stats(final DistributionFigures d)
    {
        return String.format(Locale.ROOT, " %6d %6d %8s %6d %6d", d.min(), d.p50(), d.mean(), d.p99(), d.max());
    }

    private static String buckets(final Buckets buckets)
    {
        final StringBuilder header = new StringBuilder();
        for (final String label : buckets.labels())
        {
            header.append(String.format(Locale.ROOT, " %" + width(label) + "s", label));
        }
        return header.toString();
    }

    private static String counts(final DistributionFigures d)
    {
        final StringBuilder row = new StringBuilder();
        for (final Map.Entry<String, Long> bucket : d.buckets().entrySet())
        {
            row.append(String.format(Locale.ROOT, " %" + width(bucket.getKey()) + "d", bucket.getValue()));
        }
        return row.toString();
    }

    private static int width(final String label)
    {
        return Math.max(6, label.length());
    }
}
