package io.tlsnic.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tlsnic.harness.bench.BenchEnvironment;
import io.tlsnic.harness.replay.ReplayBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tlsnic bench-replay}: replay throughput against tshark decrypting the same capture, in the same run. The
 * measurement is {@link ReplayBenchmark#measure}; this command checks the options and prints its figures.
 */
@Command(
    name = "bench-replay",
    mixinStandardHelpOptions = true,
    description = {
        "Replay throughput (through the emulated NIC) against tshark on the same capture and key log.",
        "",
        "Replays the capture in this JVM until the JIT has settled (at least --warmup-ms and 30 replays, then",
        "until the JIT compiled nothing during 10 replays in a row, within 10x --warmup-ms), then --runs timed",
        "replays; runs tshark --runs times, each decrypting and following the capture's first TCP",
        "stream (its process start included); then times --cold-runs fresh 'tlsnic replay' processes (JVM start",
        "and JIT warm-up included) for reference. Prints the application bytes per second of each (best run) and",
        "the ratio, and the ratio of CPU times (the fairer one on a loaded machine). Every replay must verify",
        "with the same plaintext digests, and tshark's plaintext must have the same SHA-256 as the replay's,",
        "direction by direction.",
        "Default capture: pcaps/tls13-aes128gcm-bulk4m-clean.pcap (4 MiB bulk, TLS 1.3 AES-128-GCM)."})
public final class ReplayBenchCommand implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Capture (default: ${DEFAULT-VALUE}).",
        defaultValue = "pcaps/tls13-aes128gcm-bulk4m-clean.pcap")
    Path capture;

    @Option(names = "--keylog", description = "NSS key log (default: the capture's name with .keys).")
    Path keyLog;

    @Option(names = "--runs", description = "Timed runs of each (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int runs;

    @Option(names = "--warmup-ms", description = "Least time replaying before the timed runs (default:"
        + " ${DEFAULT-VALUE}).", defaultValue = "5000")
    long warmupMs;

    @Option(names = "--cold-runs", description = "Cold 'tlsnic replay' processes to time, 0 for none (default:"
        + " ${DEFAULT-VALUE}).", defaultValue = "3")
    int coldRuns;

    @Option(names = "--tshark", description = "tshark binary (default: ${DEFAULT-VALUE}).", defaultValue = "tshark")
    String tshark;

    @Override
    public Integer call() throws IOException
    {
        final Path keys = keyLog != null ? keyLog
            : capture.resolveSibling(capture.getFileName().toString().replaceAll("\\.pcapn?g?$", ".keys"));
        if (!Files.isReadable(capture) || !Files.isReadable(keys))
        {
            throw new InputException("cannot read " + (Files.isReadable(capture) ? keys : capture));
        }
        if (runs < 1 || runs > 100)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--runs must be 1..100, got " + runs);
        }
        if (warmupMs < 0 || warmupMs > 600_000)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--warmup-ms must be 0..600000, got " + warmupMs);
        }
        if (coldRuns < 0 || coldRuns > 100)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--cold-runs must be 0..100, got " + coldRuns);
        }
        final ReplayBenchmark.Figures f = ReplayBenchmark.measure(capture, keys, runs, warmupMs, coldRuns, tshark);
        System.out.println("JDK:     " + BenchEnvironment.jdk());
        System.out.println("CPU:     " + BenchEnvironment.cpu());
        System.out.println("Capture: " + capture + " (" + Files.size(capture) + " bytes)");
        System.out.printf(Locale.ROOT, "%-40s %12s %9s %9s %9s%n", "", "plaintext B", "best ms", "median ms",
            "MB/s");
        System.out.printf(Locale.ROOT, "%-40s %12d %9.1f %9.1f %9.1f%n", "tlsnic replay, warm JVM (device)",
            f.plaintextBytes(), f.replayBestNs() / 1e6, f.replayMedianNs() / 1e6, f.replayMBs());
        System.out.printf(Locale.ROOT, "%-40s %12d %9.1f %9.1f %9.1f%n", "tshark (decrypt + follow tls)",
            f.tsharkPlaintextBytes(), f.tsharkBestNs() / 1e6, f.tsharkMedianNs() / 1e6, f.tsharkMBs());
        if (f.coldRuns() > 0)
        {
            System.out.printf(Locale.ROOT, "%-40s %12d %9.1f %9.1f %9.1f%n", "tlsnic replay, cold process",
                f.plaintextBytes(), f.coldBestNs() / 1e6, f.coldMedianNs() / 1e6, f.coldMBs());
        }
        System.out.printf(Locale.ROOT, "ratio: %.1fx tshark (best of %d runs each, after %d warm-up replays; tshark's"
            + " time includes its start; plaintext SHA-256 equal)%n", f.ratio(), f.runs(), f.warmupReplays());
        if (f.cpuRatio() > 0)
        {
            System.out.printf(Locale.ROOT, "CPU:   %.1fx tshark (CPU time per run, mean: tlsnic %.1f ms, all JVM"
                + " threads; tshark %.1f ms, user + system)%n", f.cpuRatio(), f.replayCpuMeanNs() / 1e6,
                f.tsharkCpuMeanNs() / 1e6);
        }
        return TlsnicMain.EXIT_OK;
    }
}
