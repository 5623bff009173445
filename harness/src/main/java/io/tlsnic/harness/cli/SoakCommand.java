package io.tlsnic.harness.cli;

import java.util.Locale;
import java.util.SplittableRandom;
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

/** {@code tlsnic soak}: many seeds under loss, every byte checked (the long run that does not belong in CI). */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
        "Long run: many seeds of offloaded transfers under loss, not a single wrong byte allowed.",
        "",
        "Each seed picks TLS 1.2 or 1.3, AES-128-GCM or AES-256-GCM, a TX strategy and an RX resync mode, a loss",
        "rate up to --max-loss with reordering and duplication, and moves --mib MiB each way between two hosts",
        "(stack + driver + NIC each). Exits 1 at the first wrong byte, naming the seed. Prints progress and the",
        "total runtime. The issue's long run: --seeds 10000 --mib 16. Ctrl-C stops after the current seed and",
        "prints what was done and how to resume (exit 130)."})
public final class SoakCommand implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--seeds", description = "Seeds (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int seeds;

    @Option(names = "--mib", description = "MiB each way per seed (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int mib;

    @Option(names = "--max-loss", description = "Largest loss rate in percent (default: ${DEFAULT-VALUE}).",
        defaultValue = "10")
    double maxLoss;

    @Option(names = "--first-seed", description = "First seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long firstSeed;

    @Override
    public Integer call()
    {
        if (seeds < 1 || mib < 1 || mib > 4096 || !(maxLoss >= 0 && maxLoss <= 50))
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--seeds must be >= 1, --mib 1..4096,"
                + " --max-loss 0..50; got " + seeds + ", " + mib + ", " + maxLoss);
        }
        final long startNs = System.nanoTime();
        try (CtrlC ctrlC = new CtrlC(() -> { }))
        {
            return soak(ctrlC, startNs);
        }
    }

    private int soak(final CtrlC ctrlC, final long startNs)
    {
        long records = 0;
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            if (ctrlC.requested())
            {
                System.out.printf(Locale.ROOT, "Interrupted: seeds %d..%d exact (%d MiB each way each): %d records, "
                    + "runtime %.1f s; resume with --first-seed %d --seeds %d.%n", firstSeed, seed - 1, mib, records,
                    (System.nanoTime() - startNs) / 1e9, seed, firstSeed + seeds - seed);
                System.out.flush();
                return TlsnicMain.EXIT_INTERRUPTED;
            }
            final SplittableRandom pick = new SplittableRandom(seed);
            final TlsVersion version = TlsVersion.values()[pick.nextInt(2)];
            final TlsCipher cipher = pick.nextBoolean() ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256;
            final DriverConfig.TxResyncStrategy tx = DriverConfig.TxResyncStrategy.values()[pick.nextInt(2)];
            final RxResyncMode rx = RxResyncMode.values()[pick.nextInt(3)];
            final double loss = pick.nextDouble() * maxLoss;
            try
            {
                final LossRun.Result r = LossRun.run(NicConfig.defaults().withRxResyncMode(rx),
                    DriverConfig.defaults().withTxResync(tx), new LinkFaults(loss, 0.5, 1, 200_000, seed), version,
                    cipher, 1, (long)mib << 20, seed);
                records += r.records();
            }
            catch (final RuntimeException e)
            {
                System.out.printf(Locale.ROOT, "seed %d (%s %s TX %s RX %s loss %.2f%%) FAILED: %s%n", seed, version,
                    cipher, tx, rx, loss, e.getMessage());
                return TlsnicMain.EXIT_MISMATCH;
            }
            final long done = seed - firstSeed + 1;
            if (done % 100 == 0 || done == seeds)
            {
                System.out.printf(Locale.ROOT, "%d/%d seeds exact, %d records, %.0f s%n", done, seeds, records,
                    (System.nanoTime() - startNs) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "All %d seeds exact (%d MiB each way each): %d records, runtime %.1f s.%n",
            seeds, mib, records, (System.nanoTime() - startNs) / 1e9);
        return TlsnicMain.EXIT_OK;
    }
}
