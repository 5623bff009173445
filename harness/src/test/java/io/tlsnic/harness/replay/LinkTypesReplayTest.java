package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsnic.harness.cli.CliRun;
import io.tlsnic.harness.cli.TlsnicMain;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same packets under every link type replay understands, in pcap and pcapng, give the same plaintext. */
class LinkTypesReplayTest
{
    @TempDir
    Path temp;

    @ParameterizedTest(name = "link type {0} in {1}")
    @CsvSource({"1, pcap", "101, pcap", "113, pcap", "276, pcap", "0, pcap", "108, pcap", "1, pcapng", "113, pcapng"})
    void shouldReplayIllustratedTls13UnderEveryLinkType(final int linkType, final String format) throws Exception
    {
        final List<Captures.Packet> packets = new ArrayList<>();
        for (final byte[] ip : Captures.ipPackets(Captures.external("illustrated-tls13.pcap")))
        {
            packets.add(new Captures.Packet(Captures.withLinkHeader(linkType, ip)));
        }
        final Path capture = temp.resolve("illustrated." + format);
        if (format.equals("pcap"))
        {
            Captures.writePcap(capture, linkType, packets);
        }
        else
        {
            Captures.writePcapng(capture, linkType, packets);
        }
        final Path out = temp.resolve("out");

        final CliRun run = Captures.tlsnic("replay", capture.toString(), "--keylog",
            Captures.external("illustrated-tls13.keys").toString(), "--out", out.toString());

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode(), run.out() + run.err());
        final JsonNode expected = ExternalCapturesReplayTest.expected().get("captures").get(0);
        final JsonNode flow = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("flows").get(0);
        assertEquals(expected.get("clientSha256").asText(), flow.get("directions").get(0).get("plaintextSha256")
            .asText());
        assertEquals(expected.get("serverSha256").asText(), flow.get("directions").get(1).get("plaintextSha256")
            .asText());
    }
}
