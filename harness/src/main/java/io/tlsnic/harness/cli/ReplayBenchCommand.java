package io.tlsnic.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.tlsnic.harness.bench.BenchEnvironment;
import io.tlsnic.harness.replay.DeviceRecordReceiver;
import io.tlsnic.harness.replay.DirectionReport;
import io.tlsnic.harness.replay.FlowReport;
import io.tlsnic.harness.replay.KeySource;
import io.tlsnic.harness.replay.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tlsnic bench-replay}: replay throughput against tshark decrypting the same capture, in the same run. */
@Command(
    name = "bench-replay",
    mixinStandardHelpOptions = true,
    description = {
        "Replay throughput (through the emulated NIC) against tshark on the same capture and key log.",
        "",
        "Replays the capture --runs times in this JVM (the first run warms it up and is not counted) and runs",
        "tshark --runs times, each decrypting and following every TLS stream of the capture; prints the",
        "application bytes per second of each and the ratio. Both checks their plaintext size against each other.",
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

    @Option(names = "--runs", description = "Timed runs of each (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int runs;

    @Option(names = "--tshark", description = "tshark binary (default: ${DEFAULT-VALUE}).", defaultValue = "tshark")
    String tshark;

    @Override
    public Integer call() throws IOException, InterruptedException
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
        final KeySource source = KeySource.load(keys, null);
        long bytes = 0;
        long bestReplayNs = Long.MAX_VALUE;
        for (int i = 0; i <= runs; i++)
        {
            final long start = System.nanoTime();
            final Replayer.Result result = new Replayer(source, DeviceRecordReceiver.factory()).replay(capture, null);
            final long ns = System.nanoTime() - start;
            bytes = 0;
            for (final FlowReport flow : result.report().flows())
            {
                for (final DirectionReport d : flow.directions())
                {
                    bytes += d.plaintextBytes();
                }
            }
            if (i > 0)
            {
                bestReplayNs = Math.min(bestReplayNs, ns);
            }
        }
        final long tsharkBytes = tsharkPlaintextBytes(keys, true);
        long bestTsharkNs = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++)
        {
            final long start = System.nanoTime();
            tsharkPlaintextBytes(keys, false);
            bestTsharkNs = Math.min(bestTsharkNs, System.nanoTime() - start);
        }
        final double replayMBs = bytes / (bestReplayNs / 1e9) / 1e6;
        final double tsharkMBs = tsharkBytes / (bestTsharkNs / 1e9) / 1e6;
        System.out.println("JDK:     " + BenchEnvironment.jdk());
        System.out.println("CPU:     " + BenchEnvironment.cpu());
        System.out.println("Capture: " + capture + " (" + Files.size(capture) + " bytes)");
        System.out.printf(Locale.ROOT, "%-34s %14s %10s %10s%n", "", "plaintext B", "best ms", "MB/s");
        System.out.printf(Locale.ROOT, "%-34s %14d %10.1f %10.1f%n", "tlsnic replay (device receiver)", bytes,
            bestReplayNs / 1e6, replayMBs);
        System.out.printf(Locale.ROOT, "%-34s %14d %10.1f %10.1f%n", "tshark (decrypt + follow tls)", tsharkBytes,
            bestTsharkNs / 1e6, tsharkMBs);
        System.out.printf(Locale.ROOT, "ratio: %.1fx tshark (best of %d runs each; tshark's time includes its start)%n",
            replayMBs / tsharkMBs, runs);
        if (tsharkBytes != bytes)
        {
            System.out.println("MISMATCH: tshark decrypted " + tsharkBytes + " bytes, tlsnic " + bytes);
            return TlsnicMain.EXIT_MISMATCH;
        }
        return TlsnicMain.EXIT_OK;
    }

    /** Runs tshark once over every TLS stream; returns the application bytes it decrypted (when {@code count}). */
    private long tsharkPlaintextBytes(final Path keys, final boolean count) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(tshark, "-r", capture.toString(), "-o",
            "tls.keylog_file:" + keys, "-o", "tcp.reassemble_out_of_order:TRUE", "-q", "-z", "follow,tls,raw,0"));
        final Process p;
        try
        {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException e)
        {
            throw new InputException("cannot run " + tshark + " (apt-get install -y tshark): " + e.getMessage());
        }
        final String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new InputException(tshark + " failed on " + capture + ": " + output.lines().findFirst().orElse(""));
        }
        if (!count)
        {
            return 0;
        }
        // follow,tls,raw prints each chunk as one hex line (server chunks indented by a tab).
        long total = 0;
        boolean body = false;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith("====="))
            {
                body = !body || body;
                continue;
            }
            final String hex = line.strip();
            if (body && !hex.isEmpty() && hex.matches("[0-9a-f]+") && !line.startsWith("Node"))
            {
                total += hex.length() / 2;
            }
        }
        return total;
    }
}
