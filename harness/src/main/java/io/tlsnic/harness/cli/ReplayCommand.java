package io.tlsnic.harness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tlsnic.harness.replay.DeviceRecordReceiver;
import io.tlsnic.harness.replay.FlowReport;
import io.tlsnic.harness.replay.KeySource;
import io.tlsnic.harness.replay.ReplayReport;
import io.tlsnic.harness.replay.RecordReceiverFactory;
import io.tlsnic.harness.replay.Replayer;
import io.tlsnic.harness.replay.ReportWriter;
import io.tlsnic.harness.replay.SoftwareRecordReceiver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tlsnic replay}: a real capture with its keys through the receive path, every record checked. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
        "Replays a capture (pcap or pcapng) with its keys through the receive path, as kTLS would see it.",
        "",
        "Reassembles each TCP connection, follows each TLS 1.2 / 1.3 handshake as the TLS library would, installs",
        "the receiver where kTLS takes over (the record after each side's Finished), feeds it every segment in",
        "capture order, and seals every opened record again to compare it byte for byte with the capture.",
        "Link types: Ethernet, Linux SLL/SLL2, raw IP, BSD loopback (NULL, LOOP). Keys: an NSS key log",
        "(SSLKEYLOGFILE) and/or a TLS 1.2 PSK. Keys are never printed.",
        "Exit 0 only when every TLS flow with keys replayed without a mismatch; 1 on a mismatch or a record that",
        "does not authenticate; 3 on bad input (including a capture where no flow could be replayed)."})
public final class ReplayCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CAPTURE", description = "pcap or pcapng file.")
    Path capture;

    @Option(names = "--keylog", paramLabel = "FILE", description = "NSS key log (CLIENT_RANDOM, *_TRAFFIC_SECRET_*).")
    Path keyLog;

    @Option(names = "--psk", paramLabel = "HEX", description = "TLS 1.2 pre-shared key for TLS_PSK_* suites.")
    String psk;

    @Option(names = "--out", paramLabel = "DIR", description = "Write report.json and events.jsonl (one line per"
        + " packet) here.")
    Path out;

    @Option(names = "--plaintext-dir", paramLabel = "DIR", description = "Write each direction's application data"
        + " to SRC_to_DST.bin here.")
    Path plaintextDir;

    @Option(names = "--receiver", paramLabel = "device|software", defaultValue = "device", description = "Receive"
        + " path: device (default: the frames enter an emulated NIC's RX path; its driver, TCP and a kTLS socket"
        + " with the RX context on the device) or software (kTLS software RX only, for comparison).")
    String receiver;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        final PrintStream stdout = System.out;
        final java.io.PrintWriter err = spec.commandLine().getErr();
        final RecordReceiverFactory receivers;
        switch (receiver)
        {
            case "device":
                receivers = DeviceRecordReceiver.factory();
                break;
            case "software":
                receivers = SoftwareRecordReceiver.factory();
                break;
            default:
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--receiver must be device or"
                    + " software, not '" + receiver + "'");
        }
        final KeySource keys = KeySource.load(keyLog, psk);
        keys.warnings().forEach(warning -> err.println("tlsnic: warning: " + warning));
        final Replayer.Result result = new Replayer(keys, receivers).replay(capture, plaintextDir);
        final ReplayReport report = result.report();
        for (final FlowReport flow : report.flows())
        {
            if (!flow.replayed())
            {
                err.println("tlsnic: " + capture + ": flow " + flow.flow() + " (" + flow.client() + " <-> "
                    + flow.server() + ", first packet " + flow.firstFrame() + ") not replayed: "
                    + flow.status().toLowerCase(java.util.Locale.ROOT) + ": " + flow.reason());
            }
        }
        ReportWriter.printTable(report, stdout);
        if (out != null)
        {
            ReportWriter.writeFiles(out, report, result.events());
            stdout.println("report: " + out.resolve("report.json") + ", per-packet events: "
                + out.resolve("events.jsonl"));
        }
        if (report.flows().stream().noneMatch(FlowReport::replayed))
        {
            throw new InputException(capture + ": nothing to replay: no TLS flow with a handshake and keys among "
                + report.flows().size() + " TCP connection" + (report.flows().size() == 1 ? "" : "s"));
        }
        final boolean ok = report.verified();
        stdout.println(ok ? "All replayed flows verified." : "MISMATCH: some records did not verify (see the verdicts).");
        return ok ? TlsnicMain.EXIT_OK : TlsnicMain.EXIT_MISMATCH;
    }
}
