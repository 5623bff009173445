package io.tlsnic.harness.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.tlsnic.harness.bench.BenchEnvironment;
import io.tlsnic.harness.bench.EngineBenchmark;
import io.tlsnic.wire.util.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsnic bench}: runs the JMH benchmarks with sane defaults and prints one table with ratios. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "JMH benchmarks with sane defaults: one table of throughput and ratios.",
        "",
        "Runs the JMH benchmarks and prints one table: the inline engine against raw one-shot SunJCE AES-GCM",
        "(records fed in 1448-byte segments, and whole), with the ratios measured in the same run, the JDK,",
        "the CPU and the crypto provider. Benchmarks check their own output; a wrong byte fails the run."})
public final class BenchCommand implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--full", description = "More forks and iterations (minutes instead of about one).")
    boolean full;

    @Option(names = "--records", split = ",", description = "Record sizes in bytes (default: ${DEFAULT-VALUE}).",
        defaultValue = "1024,4096,16384")
    List<Integer> recordSizes;

    @Option(names = "--key-bits", split = ",", description = "AES key sizes (default: ${DEFAULT-VALUE}).",
        defaultValue = "128,256")
    List<Integer> keyBits;

    @Override
    public Integer call() throws RunnerException
    {
        for (final int r : recordSizes)
        {
            if (r < 1 || r > 16384)
            {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--records sizes must be 1..16384, got " + r);
            }
        }
        for (final int k : keyBits)
        {
            if (k != 128 && k != 256)
            {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--key-bits must be 128 or 256, got " + k);
            }
        }
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(EngineBenchmark.class.getName() + "\\.")
            .param("recordLength", strings(recordSizes))
            .param("segmentLength", "1448", "0")
            .param("keyBits", strings(keyBits))
            .forks(full ? 2 : 1)
            .warmupIterations(full ? 5 : 2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(full ? 8 : 3)
            .measurementTime(TimeValue.seconds(full ? 2 : 1))
            .jvmArgsAppend(JvmFlags.forThisJvm().toArray(new String[0]))
            .shouldFailOnError(true);
        final Collection<RunResult> results = new Runner(options.build()).run();
        printTable(results, System.out);
        return TlsnicMain.EXIT_OK;
    }

    private static String[] strings(final List<Integer> values)
    {
        return values.stream().map(String::valueOf).toArray(String[]::new);
    }

    /** Prints MB/s per benchmark and the engine/one-shot ratios for each parameter set. */
    static void printTable(final Collection<RunResult> results, final PrintStream out)
    {
        out.println();
        out.println("JDK:    " + BenchEnvironment.jdk());
        out.println("CPU:    " + BenchEnvironment.cpu());
        out.println("Crypto: " + BenchEnvironment.crypto());
        out.println();
        out.printf(Locale.ROOT, "%-7s %-6s %-9s %-10s %12s %12s %8s%n",
            "key", "record", "segments", "direction", "engine MB/s", "JCE MB/s", "ratio");
        final List<String> rows = new ArrayList<>();
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
            rows.add(String.format(Locale.ROOT, "AES-%-3s %-6s %-9s %-10s %12.0f %12.0f %7.2fx", key, record,
                "0".equals(segment) ? "whole" : segment + " B", encrypt ? "encrypt" : "decrypt", e, b, e / b));
        }
        rows.sort(null);
        rows.forEach(out::println);
    }

    private static double megabytes(final RunResult r, final String recordLength)
    {
        return r.getPrimaryResult().getScore() * Integer.parseInt(recordLength) / 1e6;
    }
}
