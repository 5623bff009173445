package io.tlsnic.harness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tlsnic.harness.inspect.InspectReport;
import io.tlsnic.harness.inspect.InspectWriter;
import io.tlsnic.harness.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tlsnic inspect}: where TLS record boundaries fall against TCP segments in a capture, no keys needed. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
        "Measures the record/segment geometry of a capture (pcap or pcapng), per TCP flow direction carrying TLS",
        "and in total: what an offload designer sizes the device's record tracker for. No keys are needed.",
        "",
        "Records: count, content types, lengths (whole records, 5-byte header included). Segments: payload lengths,",
        "record starts per segment, segments per record. Splits: records starting a segment or inside one, 5-byte",
        "headers split across segments (and after which byte), 16-byte AEAD tags split across segments. Arrival by",
        "TCP seq: retransmissions, out-of-order late fills, gaps and bytes never captured, so a lossy capture can be",
        "told from a clean one. Geometry follows the first copy of each byte; retransmitted bytes do not count twice.",
        "Link types: Ethernet, Linux SLL/SLL2, raw IP, BSD loopback (NULL, LOOP). Directions without TLS are listed",
        "as skipped. The same capture gives the same output, byte for byte.",
        "Exit 0 when at least one TLS flow direction was measured; 3 on bad input (a file that cannot be read, a",
        "packet the snaplen cut, a capture without TLS)."})
public final class InspectCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "CAPTURE", description = "pcap or pcapng file.")
    Path capture;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the figures as inspect.json here.")
    Path out;

    @Override
    public Integer call() throws IOException
    {
        final PrintStream stdout = System.out;
        final InspectReport report = Inspector.inspect(capture);
        InspectWriter.printTable(report, stdout);
        if (out != null)
        {
            stdout.println();
            stdout.println("report: " + InspectWriter.writeJson(out, report));
        }
        if (report.directions().isEmpty())
        {
            throw new InputException(capture + ": nothing to inspect: no TLS flow direction among "
                + report.connections() + " TCP connection" + (report.connections() == 1 ? "" : "s"));
        }
        return TlsnicMain.EXIT_OK;
    }
}
