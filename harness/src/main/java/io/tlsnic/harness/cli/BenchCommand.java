package io.tlsnic.harness.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.tlsnic.harness.bench.BenchEnvironment;
import io.tlsnic.harness.bench.ContextScaleBenchmark;
import io.tlsnic.harness.bench.EngineBenchmark;
import io.tlsnic.harness.bench.RingPathBenchmark;
import io.tlsnic.harness.bench.ThreadedEndToEndBenchmark;
import io.tlsnic.wire.util.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsnic bench}: runs the JMH benchmarks with sane defaults and prints one table with ratios and targets. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "JMH benchmarks with sane defaults: one table of every figure, its reference and its target.",
        "",
        "Groups (all by default; --only runs one):",
        "  engine    the inline engine against raw one-shot SunJCE AES-GCM (records fed in 1448-byte",
        "            segments, and whole), MB/s and the ratio measured in the same run;",
        "  ring      descriptors/s through the whole ring path without crypto, 64-byte frames: TX (driver",
        "            posts, doorbell, device DMA + parse, link, completion, reap) and RX (port, device,",
        "            RX buffer, completion, driver, handler); target >= 5 M/s each;",
        "  contexts  installs/s and removes/s filling and emptying a 1,000,000-slot context table (target",
        "            >= 1 M installs/s), bytes per context outside the cache (target <= 256 B), and RX",
        "            inline decryption with 10 / 1,000 / 100,000 active flows in round-robin behind a",
        "            1024-entry context cache, with the cache hit rate;",
        "  threaded  end to end in threaded mode (NICs + link on one thread, hosts + drivers on the other),",
        "            4 TLS 1.3 flows of 16 KiB records, offload against software kTLS on the same inputs at",
        "            0 / 1 / 5 % loss: MB/s each and the ratio; target >= 1.5x at 0% loss.",
        "",
        "Prints the JDK, CPU and crypto provider with the table. Quick mode takes about 3-5 minutes on 2",
        "cores; --full several times that. Benchmarks check their own output; a wrong byte fails the run",
        "(exit 1)."})
public final class BenchCommand implements Callable<Integer>
{
    /** Descriptors per second the ring path should reach in each direction. */
    static final double RING_TARGET_PER_SECOND = 5e6;
    /** Installs per second into the context table. */
    static final double INSTALL_TARGET_PER_SECOND = 1e6;
    /** Bytes per installed context outside the cache. */
    static final double BYTES_PER_CONTEXT_LIMIT = 256;

    /** Threaded end-to-end offload against software kTLS at 0% loss. */
    static final double THREADED_TARGET_RATIO = 1.5;

    private static final List<String> GROUPS = List.of("engine", "ring", "contexts", "threaded");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--full", description = "More forks, iterations and parameters (several times longer).")
    boolean full;

    @Option(names = "--only", paramLabel = "GROUP",
        description = "Run one group: engine, ring, contexts or threaded.")
    String only;

    @Option(names = "--records", split = ",", description = "Engine record sizes in bytes (default: 1024,16384; "
        + "with --full 1024,4096,16384).")
    List<Integer> recordSizes;

    @Option(names = "--key-bits", split = ",", description = "Engine AES key sizes (default: 128; with --full "
        + "128,256).")
    List<Integer> keyBits;

    @Override
    public Integer call()
    {
        if (only != null && !GROUPS.contains(only))
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--only must be engine, ring, contexts or threaded, got " + only);
        }
        final List<Integer> records = recordSizes != null ? recordSizes
            : full ? List.of(1024, 4096, 16384) : List.of(1024, 16384);
        final List<Integer> keys = keyBits != null ? keyBits : full ? List.of(128, 256) : List.of(128);
        for (final int r : records)
        {
            if (r < 1 || r > 16384)
            {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--records sizes must be 1..16384, got " + r);
            }
        }
        for (final int k : keys)
        {
            if (k != 128 && k != 256)
            {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--key-bits must be 128 or 256, got " + k);
            }
        }
        final List<Row> rows = new ArrayList<>();
        try
        {
            if (runs("engine"))
            {
                rows.addAll(engineRows(run(options(EngineBenchmark.class.getName() + "\\.")
                    .param("recordLength", strings(records))
                    .param("segmentLength", "1448", "0")
                    .param("keyBits", strings(keys)))));
            }
            if (runs("ring"))
            {
                rows.addAll(ringRows(run(options(RingPathBenchmark.class.getName() + "\\."))));
            }
            if (runs("contexts"))
            {
                final List<RunResult> contexts = new ArrayList<>(run(options(
                    ContextScaleBenchmark.class.getName() + "\\.(install|remove)$")));
                // A miss expands a context (a JCE key schedule and cipher look-ups): its many code paths need
                // several seconds of warm-up on a busy 2-core machine before the figure settles.
                contexts.addAll(run(options(ContextScaleBenchmark.class.getName() + "\\.rxDecrypt$")
                    .warmupIterations(full ? 10 : 6)));
                rows.addAll(contextRows(contexts));
                rows.addAll(memoryRows(ContextScaleBenchmark.measureMemory(ContextScaleBenchmark.TABLE_CAPACITY)));
            }
            if (runs("threaded"))
            {
                // Each run starts two threads and a fresh network: the JIT needs several runs to settle.
                rows.addAll(threadedRows(run(options(ThreadedEndToEndBenchmark.class.getName() + "\\.")
                    .warmupIterations(full ? 8 : 5))));
            }
        }
        catch (final RunnerException e)
        {
            spec.commandLine().getErr().println("tlsnic: a benchmark failed (its own check of its output, or an "
                + "error): see the JMH output above. " + e.getMessage());
            return TlsnicMain.EXIT_MISMATCH;
        }
        printTable(rows, System.out);
        return TlsnicMain.EXIT_OK;
    }

    private boolean runs(final String group)
    {
        return only == null || only.equals(group);
    }

    private ChainedOptionsBuilder options(final String include)
    {
        return new OptionsBuilder()
            .include(include)
            .forks(full ? 2 : 1)
            .warmupIterations(full ? 5 : 2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(full ? 8 : 3)
            .measurementTime(TimeValue.seconds(full ? 2 : 1))
            .jvmArgsAppend(JvmFlags.forThisJvm().toArray(new String[0]))
            .shouldFailOnError(true);
    }

    private static Collection<RunResult> run(final ChainedOptionsBuilder options) throws RunnerException
    {
        return new Runner(options.build()).run();
    }

    private static String[] strings(final List<Integer> values)
    {
        return values.stream().map(String::valueOf).toArray(String[]::new);
    }

    /** One line of the table. */
    record Row(String group, String figure, String measured, String reference, String result)
    {
    }

    /** Engine MB/s against one-shot JCE for each parameter set. */
    static List<Row> engineRows(final Collection<RunResult> results)
    {
        final List<Row> rows = new ArrayList<>();
        for (final RunResult engine : results)
        {
            final String name = engine.getParams().getBenchmark();
            if (!name.endsWith(".engineEncrypt") && !name.endsWith(".engineDecrypt"))
            {
                continue;
            }
            final boolean encrypt = name.endsWith("Encrypt");
            final String key = engine.getParams().getParam("keyBits");
            final String record = engine.getParams().getParam("recordLength");
            final String segment = engine.getParams().getParam("segmentLength");
            final RunResult baseline = results.stream().filter(r ->
                r.getParams().getBenchmark().endsWith(encrypt ? ".oneShotEncrypt" : ".oneShotDecrypt")
                    && key.equals(r.getParams().getParam("keyBits"))
                    && record.equals(r.getParams().getParam("recordLength"))
                    && segment.equals(r.getParams().getParam("segmentLength")))
                .findFirst().orElse(null);
            final double e = megabytes(engine, record);
            final double b = baseline == null ? Double.NaN : megabytes(baseline, record);
            rows.add(new Row("engine",
                String.format(Locale.ROOT, "AES-%s %5s B record, %s, %s", key, record,
                    "0".equals(segment) ? "whole" : segment + " B segments", encrypt ? "encrypt" : "decrypt"),
                String.format(Locale.ROOT, "%,.0f MB/s", e), String.format(Locale.ROOT, "JCE %,.0f MB/s", b),
                String.format(Locale.ROOT, "%.2fx JCE", e / b)));
        }
        rows.sort((x, y) -> x.figure().compareTo(y.figure()));
        return rows;
    }

    private static double megabytes(final RunResult r, final String recordLength)
    {
        return r.getPrimaryResult().getScore() * Integer.parseInt(recordLength) / 1e6;
    }

    /** Ring path descriptors/s, TX then RX, against the target. */
    static List<Row> ringRows(final Collection<RunResult> results)
    {
        final List<Row> rows = new ArrayList<>();
        for (final String direction : List.of("tx", "rx"))
        {
            for (final RunResult r : results)
            {
                if (r.getParams().getBenchmark().endsWith("." + direction))
                {
                    final double perSecond = r.getPrimaryResult().getScore();
                    rows.add(new Row("ring", direction.toUpperCase(Locale.ROOT) + " descriptors/s, 64 B frames, "
                        + (direction.equals("tx") ? "driver > NIC > link" : "port > NIC > driver"),
                        millions(perSecond), ">= " + millions(RING_TARGET_PER_SECOND),
                        atLeast(perSecond, RING_TARGET_PER_SECOND)));
                }
            }
        }
        return rows;
    }

    /** Install and remove rates, then RX decryption per active-flow count with the cache hit rate. */
    static List<Row> contextRows(final Collection<RunResult> results)
    {
        final List<Row> rows = new ArrayList<>();
        final String capacity = String.format(Locale.ROOT, "%,d", ContextScaleBenchmark.TABLE_CAPACITY);
        for (final RunResult r : results)
        {
            final String name = r.getParams().getBenchmark();
            // Single shot: the score is time per operation.
            final double perSecond = 1e9 / r.getPrimaryResult().getScore();
            if (name.endsWith(".install"))
            {
                rows.add(new Row("contexts", "installs/s filling a " + capacity + "-slot table", millions(perSecond),
                    ">= " + millions(INSTALL_TARGET_PER_SECOND), atLeast(perSecond, INSTALL_TARGET_PER_SECOND)));
            }
            else if (name.endsWith(".remove"))
            {
                rows.add(new Row("contexts", "removes/s emptying it", millions(perSecond), "-", "-"));
            }
        }
        final List<RunResult> rx = new ArrayList<>();
        for (final RunResult r : results)
        {
            if (r.getParams().getBenchmark().endsWith(".rxDecrypt"))
            {
                rx.add(r);
            }
        }
        rx.sort((a, b) -> Integer.compare(Integer.parseInt(a.getParams().getParam("flows")),
            Integer.parseInt(b.getParams().getParam("flows"))));
        for (final RunResult r : rx)
        {
            final double frames = r.getPrimaryResult().getScore();
            final double hits = secondary(r, "cacheHits");
            final double misses = secondary(r, "cacheMisses");
            rows.add(new Row("contexts",
                String.format(Locale.ROOT, "RX decrypt, %,d flows round-robin, cache %d",
                    Integer.parseInt(r.getParams().getParam("flows")), ContextScaleBenchmark.CACHE_CAPACITY),
                String.format(Locale.ROOT, "%,.0f frames/s = %,.0f MB/s", frames,
                    frames * ContextScaleBenchmark.RECORD_LENGTH / 1e6),
                String.format(Locale.ROOT, "hit rate %.1f%%", 100 * hits / (hits + misses)), "-"));
        }
        return rows;
    }

    /** Per loss rate: offload MB/s, software MB/s, their ratio; the target applies at 0% loss. */
    static List<Row> threadedRows(final Collection<RunResult> results)
    {
        final java.util.TreeMap<Double, double[]> byLoss = new java.util.TreeMap<>();
        for (final RunResult r : results)
        {
            final double loss = Double.parseDouble(r.getParams().getParam("lossPercent"));
            final boolean offload = "offload".equals(r.getParams().getParam("mode"));
            // Transfer only (set-up excluded): payload bytes over wall-clock nanoseconds, in MB/s.
            final double mbps = secondary(r, "payloadBytes") * 1e3 / secondary(r, "transferNanos");
            byLoss.computeIfAbsent(loss, k -> new double[] {Double.NaN, Double.NaN})[offload ? 0 : 1] = mbps;
        }
        final List<Row> rows = new ArrayList<>();
        for (final java.util.Map.Entry<Double, double[]> e : byLoss.entrySet())
        {
            final double ratio = e.getValue()[0] / e.getValue()[1];
            final String loss = new java.text.DecimalFormat("0.##",
                java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)).format(e.getKey());
            rows.add(new Row("threaded", "end to end, " + loss + "% loss: offload | software = ratio",
                String.format(Locale.ROOT, "%,.0f | %,.0f MB/s = %.2fx", e.getValue()[0], e.getValue()[1], ratio),
                e.getKey() == 0 ? String.format(Locale.ROOT, "ratio >= %.1fx", THREADED_TARGET_RATIO) : "-",
                e.getKey() == 0 ? atLeast(ratio, THREADED_TARGET_RATIO) : "-"));
        }
        return rows;
    }

    private static double secondary(final RunResult r, final String label)
    {
        final Result<?> result = r.getSecondaryResults().get(label);
        return result == null ? Double.NaN : result.getScore();
    }

    /** Bytes per context, computed and measured, against the limit. */
    static List<Row> memoryRows(final ContextScaleBenchmark.MemoryFigures m)
    {
        final String capacity = String.format(Locale.ROOT, "%,d", ContextScaleBenchmark.TABLE_CAPACITY);
        return List.of(
            new Row("contexts", "bytes/context, table arrays / " + capacity + " slots", m.computedBytes() + " B",
                "<= 256 B", atMost(m.computedBytes(), BYTES_PER_CONTEXT_LIMIT)),
            new Row("contexts", "bytes/context, heap growth creating the table", String.format(Locale.ROOT, "%.1f B",
                m.heapBytesPerSlot()), "<= 256 B", atMost(m.heapBytesPerSlot(), BYTES_PER_CONTEXT_LIMIT)),
            new Row("contexts", "bytes/context, heap growth filling it", String.format(Locale.ROOT, "%.1f B",
                m.heapBytesPerInstall()), "-", "-"));
    }

    private static String millions(final double perSecond)
    {
        return String.format(Locale.ROOT, "%.2f M/s", perSecond / 1e6);
    }

    /** @return "met (1.20x)" or "missed by 40% (0.60x)". */
    static String atLeast(final double measured, final double target)
    {
        final double ratio = measured / target;
        return ratio >= 1 ? String.format(Locale.ROOT, "met (%.2fx)", ratio)
            : String.format(Locale.ROOT, "missed by %.0f%% (%.2fx)", 100 * (1 - ratio), ratio);
    }

    /** @return "met (66% of limit)" or "missed by 12% (1.12x limit)". */
    static String atMost(final double measured, final double limit)
    {
        final double ratio = measured / limit;
        return ratio <= 1 ? String.format(Locale.ROOT, "met (%.0f%% of limit)", 100 * ratio)
            : String.format(Locale.ROOT, "missed by %.0f%% (%.2fx limit)", 100 * (ratio - 1), ratio);
    }

    /** Prints the environment and one table of every row. */
    static void printTable(final List<Row> rows, final PrintStream out)
    {
        out.println();
        out.println("JDK:    " + BenchEnvironment.jdk());
        out.println("CPU:    " + BenchEnvironment.cpu());
        out.println("Crypto: " + BenchEnvironment.crypto());
        out.println();
        final int[] widths = {5, 6, 8, 16, 6};
        for (final Row r : rows)
        {
            widths[0] = Math.max(widths[0], r.group().length());
            widths[1] = Math.max(widths[1], r.figure().length());
            widths[2] = Math.max(widths[2], r.measured().length());
            widths[3] = Math.max(widths[3], r.reference().length());
        }
        final String format = "%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %-" + widths[3]
            + "s  %s%n";
        out.printf(Locale.ROOT, format, "group", "figure", "measured", "reference/target", "result");
        for (final Row r : rows)
        {
            out.printf(Locale.ROOT, format, r.group(), r.figure(), r.measured(), r.reference(), r.result());
        }
    }
}
