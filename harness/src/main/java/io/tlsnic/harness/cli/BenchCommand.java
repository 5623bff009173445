package io.tlsnic.harness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

import io.tlsnic.harness.bench.BcLtsGcm;
import io.tlsnic.harness.bench.BcNativeGcmBenchmark;
import io.tlsnic.harness.bench.BenchEnvironment;
import io.tlsnic.harness.bench.ContextScaleBenchmark;
import io.tlsnic.harness.bench.EngineBenchmark;
import io.tlsnic.harness.bench.HostCostBenchmark;
import io.tlsnic.harness.bench.RingPathBenchmark;
import io.tlsnic.harness.replay.ReplayBenchmark;
import io.tlsnic.harness.bench.ThreadedEndToEndBenchmark;
import io.tlsnic.wire.util.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsnic bench}: runs the JMH benchmarks with sane defaults and prints one table with ratios and targets. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "JMH benchmarks with sane defaults: one table of every figure, its reference",
        "and its target.",
        "",
        "Groups (all by default; --only runs one):",
        "  engine    the inline engine against raw one-shot SunJCE AES-GCM and, where",
        "            its native library loads, Bouncy Castle LTS's native AES-GCM",
        "            (AESGCMPacketCipher, one call per record; \"BC\"): records fed to",
        "            the engine in 1448-byte segments, and whole; MB/s and the ratios",
        "            measured in the same run;",
        "  ring      descriptors/s through the whole ring path without crypto, 64-byte",
        "            frames: TX (driver posts, doorbell, device DMA + parse, link,",
        "            completion, reap) and RX (port, device, RX buffer, completion,",
        "            driver, handler); target >= 5 M/s each;",
        "  contexts  installs/s and removes/s filling and emptying a 1,000,000-slot",
        "            context table (target >= 1 M installs/s), bytes per context",
        "            outside the cache (target <= 256 B), and RX inline decryption",
        "            with 10 / 1,000 / 100,000 active flows in round-robin behind a",
        "            1024-entry context cache, with the cache hit rate;",
        "  hostcost  host CPU ns per application byte (kTLS socket layer + TCP +",
        "            driver; the device's work excluded), TLS offloaded to the NIC",
        "            against software kTLS on the same NIC without TLS offload, TLS",
        "            1.3 AES-128-GCM, records of 64 B, 1 KiB, 4 KiB and 16 KiB: the",
        "            send path with send() and with sendfile(), and the receive path",
        "            (recv()); both drivers run NAPI from the devices' moderated",
        "            interrupts (8 us / 64 frames), so GRO merges a poll's burst;",
        "            target: offload's send cost at 16 KiB at most 1/3 of",
        "            software's, measured in the same run;",
        "  replay    capture replay through the emulated NIC against tshark",
        "            decrypting the same capture (pcaps/tls13-aes128gcm-bulk4m-clean",
        "            .pcap; warm JVM, best of 10 runs each): MB/s of each, the ratio and",
        "            the CPU-time ratio, target >= 10x; \"skipped: tshark not found\";",
        "  threaded  end to end in threaded mode (NICs + link on one thread, hosts +",
        "            drivers on the other), 4 TLS 1.3 flows of 16 KiB records (32 MiB",
        "            each way per flow at 0% loss, 4 MiB at 1 and 5 %), offload against",
        "            software kTLS on the same inputs: MB/s each and the ratio, and how",
        "            busy each thread was (which one limits the mode); drivers",
        "            busy-polling on the host thread; target >= 1.5x at 0% loss.",
        "",
        "Prints the JDK, CPU, crypto provider and engine (native kernel or Java) with the",
        "table. Quick mode takes about 6 minutes on 2 cores; --full several times that.",
        "Benchmarks check their own output; a wrong byte fails the run (exit 1)."})
public final class BenchCommand implements Callable<Integer>
{
    /** Descriptors per second the ring path should reach in each direction. */
    static final double RING_TARGET_PER_SECOND = 5e6;
    /** Installs per second into the context table. */
    static final double INSTALL_TARGET_PER_SECOND = 1e6;
    /** The capture the replay group measures. */
    static final String DEFAULT_REPLAY_CAPTURE = "pcaps/tls13-aes128gcm-bulk4m-clean.pcap";
    /** Replay throughput over tshark's on the same capture. */
    static final double REPLAY_TARGET_RATIO = 10;
    /** Bytes per installed context outside the cache. */
    static final double BYTES_PER_CONTEXT_LIMIT = 256;

    /** Threaded end-to-end offload against software kTLS at 0% loss. */
    static final double THREADED_TARGET_RATIO = 1.5;

    /** Highest host send cost of offload at 16 KiB records, as a share of software kTLS's. */
    static final double HOST_SEND_RATIO_LIMIT = 1.0 / 3;

    private static final List<String> GROUPS = List.of("engine", "ring", "contexts", "hostcost", "replay",
        "threaded");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--full", description = "More forks, iterations and parameters (several times longer).")
    boolean full;

    @Option(names = "--only", paramLabel = "GROUP",
        description = "Run one group: engine, ring, contexts, hostcost, replay or threaded.")
    String only;

    @Option(names = "--records", split = ",", description = "Engine record sizes in bytes (default: 1024,16384; "
        + "with --full 1024,4096,16384).")
    List<Integer> recordSizes;

    @Option(names = "--key-bits", split = ",", description = "Engine AES key sizes (default: 128; with --full "
        + "128,256).")
    List<Integer> keyBits;

    @Override
    public Integer call() throws InterruptedException
    {
        if (only != null && !GROUPS.contains(only))
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--only must be one of " + String.join(", ", GROUPS) + ", got " + only);
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
                final List<RunResult> engine = new ArrayList<>(run(options(EngineBenchmark.class.getName() + "\\.")
                    .param("recordLength", strings(records))
                    .param("segmentLength", "1448", "0")
                    .param("keyBits", strings(keys))));
                // Bouncy Castle LTS's native GCM, where it loads: checked here first, so that a machine without it
                // gets a row saying why instead of a failed run.
                final BcLtsGcm.Loaded bouncyCastle = BcLtsGcm.load();
                if (bouncyCastle.gcm() != null)
                {
                    engine.addAll(run(options(BcNativeGcmBenchmark.class.getName() + "\\.")
                        .param("recordLength", strings(records))
                        .param("keyBits", strings(keys))));
                }
                rows.addAll(engineRows(engine));
                if (bouncyCastle.gcm() == null)
                {
                    rows.add(new Row("engine", "Bouncy Castle native AES-GCM", "-", "-", bouncyCastle.description()));
                }
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
            if (runs("hostcost"))
            {
                // Both modes share each invocation, so their ratio holds on a busy machine; longer iterations
                // average out more of what other processes do to it.
                rows.addAll(hostCostRows(run(options(HostCostBenchmark.class.getName() + "\\.")
                    .warmupIterations(full ? 5 : 3)
                    .measurementIterations(full ? 8 : 5)
                    .measurementTime(TimeValue.seconds(2)))));
            }
            if (runs("replay") && !replayGroup(rows))
            {
                return TlsnicMain.EXIT_MISMATCH;
            }
            if (runs("threaded"))
            {
                // Each run starts two threads and a fresh network: the JIT needs several runs to settle. Without
                // loss each flow moves 32 MiB each way, so that the transfer runs at its steady rate (a 4 MiB run
                // spends much of its 30-40 ms opening congestion windows); with loss, where a run is bound by
                // retransmission timeouts, 4 MiB keeps a run to a few seconds.
                final List<RunResult> threaded = new ArrayList<>(run(options(ThreadedEndToEndBenchmark.class
                    .getName() + "\\.").param("lossPercent", "0").param("bytesPerFlow", String.valueOf(32 << 20))
                    .warmupIterations(full ? 8 : 5)));
                threaded.addAll(run(options(ThreadedEndToEndBenchmark.class.getName() + "\\.")
                    .param("lossPercent", "1", "5").warmupIterations(full ? 8 : 5)));
                rows.addAll(threadedRows(threaded));
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

    /**
     * Replay against tshark on the bundled 4 MiB capture, in this JVM.
     *
     * @return false when the replay and tshark disagree on the plaintext size.
     */
    private boolean replayGroup(final List<Row> rows)
    {
        final Path capture = Path.of(DEFAULT_REPLAY_CAPTURE);
        final Path keys = Path.of(DEFAULT_REPLAY_CAPTURE.replace(".pcap", ".keys"));
        if (!Files.isReadable(capture) || !Files.isReadable(keys))
        {
            rows.add(replayRow(null, "skipped: cannot read " + (Files.isReadable(capture) ? keys : capture)
                + " (run from the project directory)"));
            return true;
        }
        if (!onPath("tshark"))
        {
            rows.add(replayRow(null, "skipped: tshark not found"));
            return true;
        }
        // Throws InputException (exit 3) when a replay does not verify or tshark's plaintext differs from ours.
        rows.add(replayRow(ReplayBenchmark.measure(capture, keys, 10, full ? 10_000 : 5_000, 0, "tshark"), null));
        return true;
    }

    private static boolean onPath(final String program)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, program)))
            {
                return true;
            }
        }
        return false;
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
            final RunResult bouncyCastle = results.stream().filter(r ->
                r.getParams().getBenchmark().endsWith(encrypt ? ".bcEncrypt" : ".bcDecrypt")
                    && key.equals(r.getParams().getParam("keyBits"))
                    && record.equals(r.getParams().getParam("recordLength")))
                .findFirst().orElse(null);
            final double e = megabytes(engine, record);
            final double b = baseline == null ? Double.NaN : megabytes(baseline, record);
            final String figure = String.format(Locale.ROOT, "AES-%s %5s B record, %s, %s", key, record,
                "0".equals(segment) ? "whole" : segment + " B segments", encrypt ? "encrypt" : "decrypt");
            final double c = bouncyCastle == null ? Double.NaN : megabytes(bouncyCastle, record);
            rows.add(new Row("engine", figure, String.format(Locale.ROOT, "%,.0f MB/s", e),
                bouncyCastle == null ? String.format(Locale.ROOT, "JCE %,.0f MB/s", b)
                    : String.format(Locale.ROOT, "JCE %,.0f | BC %,.0f MB/s", b, c),
                String.format(Locale.ROOT, "%.2fx JCE", e / b)
                    + (bouncyCastle == null ? "" : String.format(Locale.ROOT, ", %.2fx BC", e / c))));
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
        // Per loss: offload MB/s, software MB/s, then host and device thread loads of offload, then of software.
        final java.util.TreeMap<Double, double[]> byLoss = new java.util.TreeMap<>();
        for (final RunResult r : results)
        {
            final double loss = Double.parseDouble(r.getParams().getParam("lossPercent"));
            final boolean offload = "offload".equals(r.getParams().getParam("mode"));
            final double[] figures = byLoss.computeIfAbsent(loss, k ->
            {
                final double[] none = new double[6];
                java.util.Arrays.fill(none, Double.NaN);
                return none;
            });
            // Transfer only (set-up excluded): payload bytes over wall-clock nanoseconds, in MB/s.
            figures[offload ? 0 : 1] = secondary(r, "payloadBytes") * 1e3 / secondary(r, "transferNanos");
            final double runNanos = secondary(r, "runNanos");
            figures[offload ? 2 : 4] = secondary(r, "hostBusyNanos") / runNanos;
            figures[offload ? 3 : 5] = secondary(r, "deviceBusyNanos") / runNanos;
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
            final double[] f = e.getValue();
            // Which thread limits each mode: the share of the run each spent in duty cycles that did work.
            rows.add(new Row("threaded", "busy share, " + loss + "% loss: host thread | device thread",
                String.format(Locale.ROOT, "offload %.0f%% | %.0f%%, software %.0f%% | %.0f%%", 100 * f[2], 100 * f[3],
                    100 * f[4], 100 * f[5]), "-", "-"));
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

    /**
     * Host cost per application byte, offload against software kTLS, for each record length: the send path with
     * send() and with sendfile(), then the receive path (from the send() runs: the receiver does the same either way).
     */
    static List<Row> hostCostRows(final Collection<RunResult> results)
    {
        final List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort((x, y) -> Integer.compare(Integer.parseInt(x.getParams().getParam("recordLength")),
            Integer.parseInt(y.getParams().getParam("recordLength"))));
        final List<Row> rows = new ArrayList<>();
        for (final String path : List.of("Send", "Receive"))
        {
            for (final String api : path.equals("Send") ? List.of("send", "sendfile") : List.of("send"))
            {
                for (final RunResult r : sorted)
                {
                    if (!api.equals(r.getParams().getParam("api")))
                    {
                        continue;
                    }
                    final String length = r.getParams().getParam("recordLength");
                    final double o = hostNsPerByte(r, "offload" + path + "Ns");
                    final double w = hostNsPerByte(r, "software" + path + "Ns");
                    final double ratio = o / w;
                    final boolean target = path.equals("Send") && length.equals("16384");
                    rows.add(new Row("hostcost", String.format(Locale.ROOT, "%s path, %5s B records, %s()",
                        path.toLowerCase(Locale.ROOT), length, path.equals("Send") ? api : "recv"),
                        String.format(Locale.ROOT, "offload %.3f ns/B", o),
                        String.format(Locale.ROOT, "software %.3f ns/B", w),
                        String.format(Locale.ROOT, "%.2fx software", ratio)
                            + (target ? "; <= 0.33x: " + atMost(ratio, HOST_SEND_RATIO_LIMIT) : "")));
                }
            }
        }
        return rows;
    }

    private static double hostNsPerByte(final RunResult r, final String counter)
    {
        return HostCostBenchmark.hostCpuNs(secondary(r, counter), secondary(r, "wallNs"),
            secondary(r, "threadCpuNs")) / secondary(r, "applicationBytes");
    }

    /**
     * @param m the measurement, or null when skipped.
     * @param skipped why it was skipped.
     * @return the replay row: MB/s of each and the ratio against the target.
     */
    static Row replayRow(final ReplayBenchmark.Figures m, final String skipped)
    {
        final String figure = "replay through the NIC vs tshark, 4 MiB bulk capture";
        final String target = String.format(Locale.ROOT, ">= %.0fx tshark", REPLAY_TARGET_RATIO);
        if (m == null)
        {
            return new Row("replay", figure, skipped, target, "-");
        }
        return new Row("replay", figure, String.format(Locale.ROOT, "%,.1f MB/s", m.replayMBs()),
            String.format(Locale.ROOT, "tshark %,.1f MB/s", m.tsharkMBs()),
            String.format(Locale.ROOT, "%.1fx tshark (CPU time %.1fx); >= %.0fx: ", m.ratio(), m.cpuRatio(),
                REPLAY_TARGET_RATIO) + atLeast(m.ratio(), REPLAY_TARGET_RATIO));
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
