package io.tlsnic.harness.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tlsnic.harness.scenario.HtmlReport;
import io.tlsnic.harness.scenario.LinkSpec;
import io.tlsnic.harness.scenario.PcapWriter;
import io.tlsnic.harness.scenario.Presets;
import io.tlsnic.harness.scenario.Scenario;
import io.tlsnic.harness.scenario.ScenarioException;
import io.tlsnic.harness.scenario.ScenarioParser;
import io.tlsnic.harness.scenario.Simulation;
import io.tlsnic.harness.scenario.SimulationReport;
import io.tlsnic.wire.keys.KeyLogWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tlsnic simulate}: a scenario of TLS flows between two emulated hosts, with a report. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a scenario: two emulated hosts (stack + driver + NIC each) on a wire with seeded faults, TLS flows",
        "whose handshakes Bouncy Castle runs over the emulated TCP connections (ECDHE, a certificate made at run",
        "time) and whose record layer kTLS then offloads to the emulated NICs, an application workload per flow",
        "(bulk, request-response, small-writes, sendfile). Every byte is checked. Prints a report; --out writes",
        "report.json (flow directions carry the same fields as replay's), report.html (charts) and events.jsonl.",
        "",
        "With no arguments: the default scenario (8 flows, TLS 1.3 and 1.2 mixed, 64 MiB, 1% loss).",
        "Scenario files are JSON; see docs/SCENARIOS.md. Flags override the file (or preset).",
        "Deterministic: same scenario and seed, same report.json, pcap, key log and event log.",
        "Ctrl-C stops the run and writes what was done (exit 130)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every flow finished with every byte exact",
        "1:a flow failed (wrong byte, handshake, alert) or did not finish in the virtual time limit",
        "2:usage error (bad flag)",
        "3:bad scenario file (one line says where)",
        "130:interrupted (Ctrl-C); what was done is written"})
public final class SimulateCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario file (JSON).")
    Path scenarioFile;

    @Option(names = "--preset", paramLabel = "NAME", description = "A bundled scenario: ${COMPLETION-CANDIDATES} "
        + "(default: default; see --list-presets).", completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--list-presets", description = "List the bundled scenarios and exit.")
    boolean listPresets;

    @Option(names = "--out", paramLabel = "DIR", description = "Write report.json, report.html and events.jsonl here.")
    Path out;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write the wire as a pcap (nanosecond timestamps; "
        + "every frame as its sender put it on the wire, before loss).")
    Path pcapFile;

    @Option(names = "--keylog", paramLabel = "FILE", description = "Write the NSS key log of every connection "
        + "(secrets: written only when asked).")
    Path keyLogFile;

    @Option(names = "--loss", paramLabel = "PERCENT", description = "Loss on the wire, 0..100 (overrides the "
        + "scenario's).")
    Double loss;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of everything random (overrides the scenario's).")
    Long seed;

    @Option(names = "--no-progress", description = "No progress output.")
    boolean noProgress;

    /** Names for --preset completion and help. */
    static final class PresetNames implements Iterable<String>
    {
        @Override
        public java.util.Iterator<String> iterator()
        {
            return Presets.all().keySet().iterator();
        }
    }

    @Override
    public Integer call() throws IOException
    {
        return run(System.out, System.err);
    }

    private int run(final PrintStream stdout, final PrintStream stderr) throws IOException
    {
        if (listPresets)
        {
            for (final String name : Presets.all().keySet())
            {
                stdout.printf(Locale.ROOT, "%-11s %s%n", name, Presets.describe(name));
            }
            return TlsnicMain.EXIT_OK;
        }
        final Scenario scenario = scenario();
        final Simulation simulation = new Simulation(scenario);
        if (out != null)
        {
            Files.createDirectories(out);
            HtmlReport.warmUp();
        }
        final PcapWriter pcap = pcapFile == null ? null : new PcapWriter(pcapFile);
        final KeyLogWriter keyLog = keyLogFile == null ? null : openKeyLog(keyLogFile);
        final BufferedWriter events = out == null ? null
            : Files.newBufferedWriter(out.resolve("events.jsonl"), StandardCharsets.UTF_8);
        simulation.recordPcap(pcap).recordKeyLog(keyLog).recordEvents(events);
        stdout.printf(Locale.ROOT, "scenario %s: %d flows, %s of application data, loss %s%%, seed %d%n",
            scenario.name(), scenario.flowCount(), mib(scenario.totalBytes()),
            num(scenario.link().faults().lossPercent()), scenario.seed());
        final Progress progress = noProgress ? null
            : new Progress(stderr, "simulate", scenario.totalBytes(), Progress.isTerminal());
        if (progress != null)
        {
            simulation.onProgress(progress::update);
        }
        final CtrlC ctrlC = new CtrlC(simulation::stop);
        final long startNs = System.nanoTime();
        final SimulationReport report;
        try
        {
            report = simulation.run();
            if (progress != null)
            {
                progress.finish();
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            closeAll(pcap, keyLog, events);
            printReport(stdout, report, seconds);
            if (out != null)
            {
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("report.json").toFile(),
                    report);
                HtmlReport.writeScenario(out.resolve(HtmlReport.FILE), report, simulation.timelines());
                stdout.printf("report: %s, %s; events: %s%n", out.resolve("report.json"), out.resolve(HtmlReport.FILE),
                    out.resolve("events.jsonl"));
            }
            if (pcapFile != null)
            {
                stdout.printf("pcap: %s (%d frames)%n", pcapFile, pcap.frames());
            }
            if (keyLogFile != null)
            {
                stdout.printf("key log: %s (decrypt with: tshark -r %s -o tls.keylog_file:%s"
                    + " -o tls.desegment_ssl_application_data:FALSE)%n", keyLogFile,
                    pcapFile == null ? "CAPTURE" : pcapFile, keyLogFile);
            }
        }
        finally
        {
            ctrlC.close();
        }
        if (report.interrupted())
        {
            return TlsnicMain.EXIT_INTERRUPTED;
        }
        return report.complete() ? TlsnicMain.EXIT_OK : TlsnicMain.EXIT_MISMATCH;
    }

    private Scenario scenario()
    {
        if (scenarioFile != null && preset != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scenario and --preset exclude each other");
        }
        Scenario s;
        if (scenarioFile != null)
        {
            try
            {
                s = ScenarioParser.parse(scenarioFile);
            }
            catch (final ScenarioException e)
            {
                throw new InputException(e.getMessage());
            }
        }
        else
        {
            final Map<String, Scenario> presets = Presets.all();
            final String name = preset == null ? "default" : preset;
            s = presets.get(name);
            if (s == null)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown preset '" + name + "' (known: "
                    + String.join(", ", presets.keySet()) + ")");
            }
        }
        if (seed != null)
        {
            s = s.withSeed(seed);
        }
        if (loss != null)
        {
            if (!(loss >= 0 && loss <= 100))
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--loss must be a percentage from 0 to 100, got " + num(loss));
            }
            s = s.withLink(new LinkSpec(s.link().latencyNs(), s.link().gigabitsPerSecond(),
                s.link().faults().withLoss(loss)));
        }
        return s;
    }

    private static KeyLogWriter openKeyLog(final Path file) throws IOException
    {
        Files.deleteIfExists(file);
        return KeyLogWriter.append(file);
    }

    private static void closeAll(final PcapWriter pcap, final KeyLogWriter keyLog, final BufferedWriter events)
        throws IOException
    {
        if (pcap != null)
        {
            pcap.close();
        }
        if (keyLog != null)
        {
            keyLog.close();
        }
        if (events != null)
        {
            events.close();
        }
    }

    private static void printReport(final PrintStream o, final SimulationReport r, final double seconds)
    {
        o.printf(Locale.ROOT, "%-4s %-3s %-33s %-39s %-16s %-6s %-6s %8s %7s %6s %6s %7s %10s  %s%n", "flow", "dir",
            "src -> dst", "suite", "workload", "tx", "rx", "records", "device", "mixed", "sw", "resyncs", "bytes",
            "verdict");
        for (final SimulationReport.Flow f : r.flows())
        {
            for (int d = 0; d < f.directions().size(); d++)
            {
                final SimulationReport.Direction x = f.directions().get(d);
                o.printf(Locale.ROOT, "%-4d %-3s %-33s %-39s %-16s %-6s %-6s %8d %7d %6d %6d %7d %10d  %s%n", f.flow(),
                    d == 0 ? "c2s" : "s2c", x.src() + " -> " + x.dst(), x.cipher(), f.workload(),
                    shortOffload(x.txOffload()), shortOffload(x.rxOffload()), x.records(), x.recordsDevice(),
                    x.recordsMixed(), x.recordsSoftware(), x.rxResyncs(), x.plaintextBytes(),
                    f.failure() != null ? f.failure() : x.verdict());
            }
        }
        long records = 0;
        long offloaded = 0;
        long device = 0;
        long mixed = 0;
        for (final SimulationReport.Flow f : r.flows())
        {
            for (final SimulationReport.Direction x : f.directions())
            {
                records += x.records();
                if ("device".equals(x.rxOffload()))
                {
                    offloaded += x.records();
                    device += x.recordsDevice();
                    mixed += x.recordsMixed();
                }
            }
        }
        o.printf(Locale.ROOT, "wire: %d frames, %d dropped, %d reordered, %d duplicated%n",
            r.wire().get("framesCarried"), r.wire().get("framesDropped"), r.wire().get("framesReordered"),
            r.wire().get("framesDuplicated"));
        o.printf(Locale.ROOT, "records: %d; on RX-offloaded directions %d, of which %.1f%% decrypted by the device, "
            + "%.1f%% mixed%n", records, offloaded, offloaded == 0 ? 0.0 : 100.0 * device / offloaded,
            offloaded == 0 ? 0.0 : 100.0 * mixed / offloaded);
        o.printf(Locale.ROOT, "%s (%.3f s virtual, %.1f s wall)%n", r.verdict(), r.virtualTimeNs() / 1e9, seconds);
    }

    private static String shortOffload(final String s)
    {
        return "device".equals(s) ? "dev" : "sw";
    }

    private static String mib(final long bytes)
    {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " B";
    }

    private static String num(final double d)
    {
        return d == Math.rint(d) ? Long.toString((long)d) : Double.toString(d);
    }
}
