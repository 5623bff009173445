package io.tlsnic.harness.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.harness.scenario.LossRun;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.tls.RxResyncMode;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsnic sweep}: the device's share of records against loss. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
        "Share of records the device decrypted fully, partly, or not at all, against loss.",
        "",
        "Runs several TLS streams of full 16 KiB records over two hosts (stack + driver + NIC each) at each loss",
        "rate, with reordering, and prints per loss the share of records decrypted by the device fully (device),",
        "partly (mixed: the host re-applied the keystream and decrypted them) and not at all (software), which is",
        "also the share of record bytes the host had to decrypt. Every byte is checked. Deterministic per seed.",
        "--out DIR charts it in report.html. Ctrl-C stops after the current loss rate and writes what was done",
        "(exit 130)."})
public final class SweepCommand implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--loss", split = ",", description = "Loss rates in percent (default: ${DEFAULT-VALUE}).",
        defaultValue = "0,0.5,1,2,3,4,5")
    List<Double> losses;

    @Option(names = "--streams", description = "Streams at once (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int streams;

    @Option(names = "--mib", description = "MiB each stream sends each way (default: ${DEFAULT-VALUE}).",
        defaultValue = "2")
    int mib;

    @Option(names = "--rx-resync", description = "RX resync mode: ${COMPLETION-CANDIDATES} (default: "
        + "${DEFAULT-VALUE}).", defaultValue = "DEVICE_REQUEST")
    RxResyncMode rxResync;

    @Option(names = "--tx-resync", description = "TX strategy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
        defaultValue = "REBUILD")
    DriverConfig.TxResyncStrategy txResync;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write report.html (the device's share against "
        + "loss, charted) here.")
    java.nio.file.Path out;

    @Override
    public Integer call() throws java.io.IOException
    {
        if (streams < 1 || streams > 4096 || mib < 1 || mib > 1024)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--streams must be 1..4096 and --mib 1..1024, got " + streams + " and " + mib);
        }
        for (final double loss : losses)
        {
            if (!(loss >= 0 && loss <= 50))
            {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--loss rates must be 0..50 %, got " + loss);
            }
        }
        final NicConfig nic = new NicConfig(1, 65536, Math.max(64, 2 * streams),
            io.tlsnic.nic.flow.DeviceCapabilities.defaults(), 2_000, 64, rxResync);
        final DriverConfig driver = DriverConfig.defaults().withTxResync(txResync);
        System.out.printf(Locale.ROOT, "%d streams x %d MiB each way, TLS 1.3 AES-128-GCM, 16 KiB records, RX %s, TX %s, "
            + "reordering 1%%, seed %d%n", streams, mib, rxResync, txResync, seed);
        System.out.printf(Locale.ROOT, "%7s %9s %9s %9s %9s %14s %10s%n", "loss %", "records", "device %", "mixed %",
            "software %", "host-decrypt %", "resync req");
        final double[] device = new double[losses.size()];
        final double[] mixed = new double[losses.size()];
        final double[] software = new double[losses.size()];
        int done = 0;
        if (out != null)
        {
            io.tlsnic.harness.scenario.HtmlReport.warmUp();
        }
        try (CtrlC ctrlC = new CtrlC(() -> { }))
        {
            for (int i = 0; i < losses.size() && !ctrlC.requested(); i++)
            {
                sweepOne(i, nic, driver, device, mixed, software);
                done++;
            }
            if (done < losses.size())
            {
                System.out.printf(Locale.ROOT, "Interrupted after %d of %d loss rates.%n", done, losses.size());
            }
            if (out != null && done > 0)
            {
                java.nio.file.Files.createDirectories(out);
                final double[] rates = losses.stream().limit(done).mapToDouble(Double::doubleValue).toArray();
                io.tlsnic.harness.scenario.HtmlReport.writeSweep(
                    out.resolve(io.tlsnic.harness.scenario.HtmlReport.FILE), String.format(Locale.ROOT,
                        "%d streams x %d MiB each way, TLS 1.3 AES-128-GCM, RX %s, TX %s, seed %d", streams, mib,
                        rxResync, txResync, seed), rates, java.util.Arrays.copyOf(device, done),
                    java.util.Arrays.copyOf(mixed, done), java.util.Arrays.copyOf(software, done));
                System.out.println("report: " + out.resolve(io.tlsnic.harness.scenario.HtmlReport.FILE));
            }
            System.out.flush();
        }
        return done < losses.size() ? TlsnicMain.EXIT_INTERRUPTED : TlsnicMain.EXIT_OK;
    }

    private void sweepOne(final int i, final NicConfig nic, final DriverConfig driver, final double[] device,
        final double[] mixed, final double[] software)
    {
        final double loss = losses.get(i);
        final LossRun.Result r = LossRun.run(nic, driver, new LinkFaults(loss, 0, 1, 200_000, seed), TlsVersion.TLS_1_3,
            TlsCipher.AES_GCM_128, streams, (long)mib << 20, seed);
        final double n = r.records();
        System.out.printf(Locale.ROOT, "%7.1f %9d %9.1f %9.1f %9.1f %14.1f %10d%n", loss, r.records(),
            100 * r.recordsDevice() / n, 100 * r.recordsMixed() / n, 100 * r.recordsSoftware() / n,
            100 * (r.recordsMixed() + r.recordsSoftware()) / n, r.resyncRequests());
        device[i] = 100 * r.recordsDevice() / n;
        mixed[i] = 100 * r.recordsMixed() / n;
        software[i] = 100 * r.recordsSoftware() / n;
    }
}
