package io.tlsnic.harness.replay;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tlsnic.harness.cli.InputException;
import io.tlsnic.wire.util.Hex;

/**
 * Replay throughput against tshark decrypting the same capture with the same key log, measured in one run:
 * <ul>
 *   <li><b>tlsnic, warm JVM</b>: {@link Replayer} with the {@link DeviceRecordReceiver} (the work of a user's
 *   {@code tlsnic replay}: every frame through the emulated NIC, the host delivering plaintext, every record sealed
 *   again and compared, the per-flow report, plaintext SHA-256), replayed in this JVM until the JIT has settled
 *   (at least {@code warmupMs} and {@value #MIN_WARMUP_REPLAYS} replays, then until the JIT compiled nothing
 *   during {@value #SETTLED_REPLAYS} replays in a row, within 10x {@code warmupMs}), then {@code runs} timed replays. The
 *   per-packet event log is built only when asked for, as by {@code tlsnic replay} without {@code --out}.</li>
 *   <li><b>tshark</b>: {@code runs} processes decrypting and following the capture's first TCP stream; each time
 *   includes tshark's start, which is part of what a user waits for.</li>
 *   <li><b>tlsnic, cold process</b> (when {@code coldRuns > 0}): {@code tlsnic replay} in a fresh JVM of the same
 *   kind as this one, start and JIT warm-up included, for reference.</li>
 * </ul>
 * Every replay must verify and give the same plaintext digests as the first; tshark's plaintext of the first stream
 * must have the digests of the replay's first flow, direction by direction.
 */
public final class ReplayBenchmark
{
    /** Replays that at least make up the warm-up, however fast they are. */
    public static final int MIN_WARMUP_REPLAYS = 30;
    /** Length of a clock tick ({@code USER_HZ} is 100 on Linux). */
    private static final long CLOCK_TICK_NS = 10_000_000L;
    /** Warm-up replays in a row during which the JIT compiles nothing, for it to count as settled. */
    public static final int SETTLED_REPLAYS = 10;

    private ReplayBenchmark()
    {
    }

    /**
     * The result of one comparison. Times are wall-clock nanoseconds, best and median of their runs.
     *
     * @param plaintextBytes       application bytes the replay delivered (all flows, both directions).
     * @param tsharkPlaintextBytes application bytes tshark followed.
     * @param warmupReplays        replays run before timing.
     * @param runs                 timed runs of the replay and of tshark each.
     * @param replayBestNs         fastest warm replay.
     * @param replayMedianNs       median warm replay.
     * @param tsharkBestNs         fastest tshark process.
     * @param tsharkMedianNs       median tshark process.
     * @param coldRuns             cold {@code tlsnic replay} processes timed (0: not measured).
     * @param coldBestNs           fastest of them, or 0.
     * @param coldMedianNs         their median, or 0.
     * @param replayCpuMeanNs      CPU time of a timed replay, the mean of the runs (the system counts in 10 ms
     *     ticks): this process's, every thread (JIT, GC) included.
     * @param tsharkCpuMeanNs      CPU time (user + system) of a tshark process, the mean of the runs, or -1 where
     *     the system does not say ({@code /proc/self/stat}).
     */
    public record Figures(long plaintextBytes, long tsharkPlaintextBytes, int warmupReplays, int runs,
        long replayBestNs, long replayMedianNs, long tsharkBestNs, long tsharkMedianNs, int coldRuns, long coldBestNs,
        long coldMedianNs, long replayCpuMeanNs, long tsharkCpuMeanNs)
    {
        /**
         * @return tshark's CPU time over the replay's (both the mean of their runs), or 0 when tshark's is
         *     unknown. On a loaded machine this is the fairer ratio: wall time there also measures the share of the
         *     CPU each process got.
         */
        public double cpuRatio()
        {
            return tsharkCpuMeanNs <= 0 || replayCpuMeanNs <= 0 ? 0 : (double)tsharkCpuMeanNs / replayCpuMeanNs;
        }

        /** @return tlsnic's application MB/s (10^6 bytes), best warm run. */
        public double replayMBs()
        {
            return mbs(plaintextBytes, replayBestNs);
        }

        /** @return tshark's application MB/s, best run. */
        public double tsharkMBs()
        {
            return mbs(tsharkPlaintextBytes, tsharkBestNs);
        }

        /** @return tlsnic's MB/s over tshark's, both best runs. */
        public double ratio()
        {
            return replayMBs() / tsharkMBs();
        }

        /** @return MB/s of the fastest cold {@code tlsnic replay} process, or 0 when not measured. */
        public double coldMBs()
        {
            return coldBestNs == 0 ? 0 : mbs(plaintextBytes, coldBestNs);
        }

        private static double mbs(final long bytes, final long ns)
        {
            return bytes / (ns / 1e9) / 1e6;
        }
    }

    /**
     * Runs the comparison.
     *
     * @param capture  pcap or pcapng file.
     * @param keyLog   its NSS key log.
     * @param runs     timed runs of each, at least 1.
     * @param warmupMs least time spent replaying before the timed runs.
     * @param coldRuns cold {@code tlsnic replay} processes to time (0 for none).
     * @param tshark   the tshark binary.
     * @return the figures.
     * @throws InputException when the capture does not replay and verify, tshark cannot run or fails, or the two
     *     disagree on the plaintext.
     */
    public static Figures measure(final Path capture, final Path keyLog, final int runs, final long warmupMs,
        final int coldRuns, final String tshark)
    {
        if (runs < 1)
        {
            throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        }
        final KeySource keys = KeySource.load(keyLog, null);
        final ReplayReport reference = replayOnce(capture, keys, null);
        // Warm up until the JIT has settled: enough time and replays, then replays in a row during which the JIT
        // compiled nothing (on a loaded machine the compiler threads get little CPU), within 10x the warm-up time.
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int warmups = 1;
        int quiet = 0;
        long compiledMs = jit.getTotalCompilationTime();
        final long startNs = System.nanoTime();
        final long warmupNs = TimeUnit.MILLISECONDS.toNanos(warmupMs);
        while (warmups < MIN_WARMUP_REPLAYS || System.nanoTime() - startNs < warmupNs
            || quiet < SETTLED_REPLAYS && System.nanoTime() - startNs < 10 * warmupNs)
        {
            replayOnce(capture, keys, reference);
            final long nowCompiledMs = jit.getTotalCompilationTime();
            quiet = nowCompiledMs == compiledMs ? quiet + 1 : 0;
            compiledMs = nowCompiledMs;
            warmups++;
        }
        final long[] replayNs = new long[runs];
        final long replayCpuStart = processCpuNs();
        for (int i = 0; i < runs; i++)
        {
            final long start = System.nanoTime();
            final ReplayReport report = new Replayer(keys, DeviceRecordReceiver.factory()).replay(capture, null)
                .report();
            replayNs[i] = System.nanoTime() - start;
            checkSame(capture, reference, report);
        }
        final long replayCpuMeanNs = (processCpuNs() - replayCpuStart) / runs;

        final List<String> tsharkCommand = List.of(tshark, "-r", capture.toString(), "-o",
            "tls.keylog_file:" + keyLog, "-o", "tcp.reassemble_out_of_order:TRUE", "-q", "-z", "follow,tls,raw,0");
        final TsharkStream followed = TsharkStream.parse(run(tsharkCommand, capture));
        followed.check(capture, reference);
        final long[] tsharkNs = new long[runs];
        final long tsharkCpuStart = childrenCpuNs();
        for (int i = 0; i < runs; i++)
        {
            final long start = System.nanoTime();
            run(tsharkCommand, capture);
            tsharkNs[i] = System.nanoTime() - start;
        }
        final long tsharkCpuMeanNs = tsharkCpuStart < 0 ? -1 : (childrenCpuNs() - tsharkCpuStart) / runs;

        final long[] coldNs = new long[coldRuns];
        if (coldRuns > 0)
        {
            final List<String> cold = coldReplayCommand(capture, keyLog);
            for (int i = 0; i < coldRuns; i++)
            {
                final long start = System.nanoTime();
                run(cold, capture);
                coldNs[i] = System.nanoTime() - start;
            }
        }
        return new Figures(plaintextBytes(reference), followed.bytes(), warmups, runs, best(replayNs),
            median(replayNs), best(tsharkNs), median(tsharkNs), coldRuns, coldRuns > 0 ? best(coldNs) : 0,
            coldRuns > 0 ? median(coldNs) : 0, replayCpuMeanNs, tsharkCpuMeanNs);
    }

    /** @return CPU time of this process so far, every thread. */
    private static long processCpuNs()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /**
     * @return user + system CPU time of this process's children that have ended (Linux {@code /proc/self/stat}
     *     cutime and cstime, in clock ticks of 10 ms), or -1 where that file is not there.
     */
    private static long childrenCpuNs()
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // Fields after the command name in parentheses: state is field 3, cutime field 16, cstime field 17.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
            return (Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3])) * CLOCK_TICK_NS;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    private static ReplayReport replayOnce(final Path capture, final KeySource keys, final ReplayReport reference)
    {
        final ReplayReport report = new Replayer(keys, DeviceRecordReceiver.factory()).replay(capture, null).report();
        if (reference == null && !report.verified())
        {
            throw new InputException(capture + ": the replay does not verify (run tlsnic replay on it to see why)");
        }
        if (reference != null)
        {
            checkSame(capture, reference, report);
        }
        return report;
    }

    /** Every run must deliver the same plaintext and verify, or the figures measure something else. */
    private static void checkSame(final Path capture, final ReplayReport reference, final ReplayReport report)
    {
        if (!report.verified() || !digests(report).equals(digests(reference)))
        {
            throw new IllegalStateException(capture + ": a replay differs from the first: " + digests(report)
                + " against " + digests(reference));
        }
    }

    private static List<String> digests(final ReplayReport report)
    {
        final List<String> out = new ArrayList<>();
        for (final FlowReport flow : report.flows())
        {
            for (final DirectionReport d : flow.directions())
            {
                out.add(d.plaintextBytes() + ":" + d.plaintextSha256());
            }
        }
        return out;
    }

    private static long plaintextBytes(final ReplayReport report)
    {
        long bytes = 0;
        for (final FlowReport flow : report.flows())
        {
            for (final DirectionReport d : flow.directions())
            {
                bytes += d.plaintextBytes();
            }
        }
        return bytes;
    }

    /** {@code tlsnic replay} in a fresh JVM with this JVM's binary, options and class path. */
    private static List<String> coldReplayCommand(final Path capture, final Path keyLog)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tlsnic.harness.cli.TlsnicMain",
            "replay", capture.toString(), "--keylog", keyLog.toString()));
        return command;
    }

    /** Runs a process to its end; returns its standard output (standard error merged). */
    private static byte[] run(final List<String> command, final Path capture)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException e)
        {
            throw new InputException("cannot run " + command.get(0) + ": " + String.valueOf(e.getMessage()).strip()
                + (command.get(0).contains("tshark") ? " (apt-get install -y tshark)" : ""));
        }
        try (InputStream in = process.getInputStream())
        {
            final byte[] output = in.readAllBytes();
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                process.destroyForcibly();
                throw new InputException(command.get(0) + " failed on " + capture + ": "
                    + new String(output, StandardCharsets.UTF_8).lines().findFirst().orElse("(no output)"));
            }
            return output;
        }
        catch (final IOException e)
        {
            throw new InputException("cannot read the output of " + command.get(0) + ": " + e.getMessage());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new InputException("interrupted while " + command.get(0) + " ran on " + capture);
        }
    }

    private static long best(final long[] ns)
    {
        return Arrays.stream(ns).min().orElseThrow();
    }

    private static long median(final long[] ns)
    {
        final long[] sorted = ns.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * What {@code tshark -z follow,tls,raw,0} printed: one hex line per chunk, one node's at the margin and the
     * other's indented by a tab, between two lines of '='.
     */
    private record TsharkStream(long bytes, String firstDigest, long firstBytes, String secondDigest,
        long secondBytes)
    {
        static TsharkStream parse(final byte[] output)
        {
            final MessageDigest first = sha256();
            final MessageDigest second = sha256();
            long firstBytes = 0;
            long secondBytes = 0;
            int rules = 0;
            for (final String line : new String(output, StandardCharsets.US_ASCII).split("\n"))
            {
                if (line.startsWith("====="))
                {
                    rules++;
                    continue;
                }
                final String hex = line.strip();
                if (rules != 1 || hex.isEmpty() || line.startsWith("Node") || !hex.matches("[0-9a-f]+"))
                {
                    continue;
                }
                final byte[] chunk = Hex.decode(hex);
                if (line.startsWith("\t"))
                {
                    second.update(chunk);
                    secondBytes += chunk.length;
                }
                else
                {
                    first.update(chunk);
                    firstBytes += chunk.length;
                }
            }
            return new TsharkStream(firstBytes + secondBytes, Hex.encode(first.digest()), firstBytes,
                Hex.encode(second.digest()), secondBytes);
        }

        /** The two directions of the replay's first flow, in either order (tshark's node order varies). */
        void check(final Path capture, final ReplayReport report)
        {
            final List<String> replayed = report.flows().isEmpty() ? List.of() : report.flows().get(0).directions()
                .stream().map(d -> d.plaintextBytes() + ":" + d.plaintextSha256()).sorted().toList();
            final List<String> followed = List.of(firstBytes + ":" + firstDigest, secondBytes + ":" + secondDigest)
                .stream().sorted().toList();
            if (bytes != plaintextBytes(report) || !replayed.equals(followed))
            {
                throw new InputException(capture + ": tshark and tlsnic disagree on the plaintext of the first TCP"
                    + " stream (tshark: " + firstBytes + " + " + secondBytes + " bytes; tlsnic: "
                    + plaintextBytes(report) + " bytes in " + report.flows().size() + " flow(s))");
            }
        }

        private static MessageDigest sha256()
        {
            try
            {
                return MessageDigest.getInstance("SHA-256");
            }
            catch (final NoSuchAlgorithmException e)
            {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }
}
