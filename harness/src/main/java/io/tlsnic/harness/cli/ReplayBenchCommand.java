package io.tlsnic.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tlsnic.harness.bench.BenchEnvironment;
import io.tlsnic.harness.bench.ReplayVsTshark;
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
        defaultValue = ReplayVsTshark.DEFAULT_CAPTURE)
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
        final Path keys = ReplayVsTshark.keysBeside(capture, keyLog);
        if (!Files.isReadable(capture) || !Files.isReadable(keys))
        {
            throw new InputException("cannot read " + (Files.isReadable(capture) ? keys : capture));
        }
        if (runs < 1 || runs > 100)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--runs must be 1..100, got " + runs);
        }
        final ReplayVsTshark.Measurement m;
        try
        {
            m = ReplayVsTshark.measure(capture, keys, runs, tshark);
        }
        catch (final IOException e)
        {
            // tshark missing or failing, or the capture or key log unreadable.
            throw new InputException(e.getMessage());
        }
        System.out.println("JDK:     " + BenchEnvironment.jdk());
        System.out.println("CPU:     " + BenchEnvironment.cpu());
        System.out.println("Capture: " + capture + " (" + Files.size(capture) + " bytes)");
        System.out.printf(Locale.ROOT, "%-34s %14s %10s %10s%n", "", "plaintext B", "best ms", "MB/s");
        System.out.printf(Locale.ROOT, "%-34s %14d %10.1f %10.1f%n", "tlsnic replay (device receiver)",
            m.replayBytes(), m.replayBestNs() / 1e6, m.replayMegabytesPerSecond());
        System.out.printf(Locale.ROOT, "%-34s %14d %10.1f %10.1f%n", "tshark (decrypt + follow tls)", m.tsharkBytes(),
            m.tsharkBestNs() / 1e6, m.tsharkMegabytesPerSecond());
        System.out.printf(Locale.ROOT, "ratio: %.1fx tshark (best of %d runs each; tshark's time includes its start)%n",
            m.ratio(), runs);
        if (!m.bytesMatch())
        {
            System.out.println("MISMATCH: tshark decrypted " + m.tsharkBytes() + " bytes, tlsnic " + m.replayBytes());
            return TlsnicMain.EXIT_MISMATCH;
        }
        return TlsnicMain.EXIT_OK;
    }
}
