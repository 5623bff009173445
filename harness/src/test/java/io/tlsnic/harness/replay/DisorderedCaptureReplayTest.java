package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsnic.harness.cli.CliRun;
import io.tlsnic.harness.cli.TlsnicMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The biggest real capture (zeek-tls-1.2-stream-keylog, 237 packets, 42 records) with its packets reordered,
 * duplicated or lost: reassembly gives tshark's plaintext back, and a loss costs exactly the records it touches.
 * Through the device receiver (the default) the disorder shows in the record classes: the device keeps sync across
 * a gap inside a record, and loses it for good (no RX resync yet) when a record header passes it by.
 */
class DisorderedCaptureReplayTest
{
    private static final String NAME = "zeek-tls-1.2-stream-keylog";

    @TempDir
    Path temp;

    @Test
    void shouldGiveTheSamePlaintextWhenPacketsAreSwappedAndDuplicated() throws Exception
    {
        final List<Captures.Packet> packets = new ArrayList<>(original());
        for (int i = 20; i + 1 < packets.size(); i += 7)
        {
            Collections.swap(packets, i, i + 1);
        }
        for (int i = packets.size() - 1; i > 12; i -= 10)
        {
            packets.add(i + 3 < packets.size() ? i + 3 : packets.size(), packets.get(i));
        }

        final JsonNode flow = replay(packets, TlsnicMain.EXIT_OK);

        final JsonNode expected = expected();
        assertEquals(expected.get("clientSha256").asText(), direction(flow, 0).get("plaintextSha256").asText());
        assertEquals(expected.get("serverSha256").asText(), direction(flow, 1).get("plaintextSha256").asText());
        assertClasses(direction(flow, 0), 17, 0, 0);
        // The first swap hides a header from the device; it asks the host to confirm a later header and tracks again.
        assertClasses(direction(flow, 1), 13, 5, 8);
        assertTrue(direction(flow, 1).get("resyncs").asLong() > 0, "the host confirmed a resync request");
    }

    private static void assertClasses(final JsonNode direction, final long device, final long mixed,
        final long software)
    {
        assertEquals("device", direction.get("receiver").asText());
        assertEquals(List.of(device, mixed, software), List.of(direction.get("recordsDevice").asLong(),
            direction.get("recordsMixed").asLong(), direction.get("recordsSoftware").asLong()), "device/mixed/software");
    }

    @Test
    void shouldLoseOnlyTheRecordALostSegmentBelongsTo() throws Exception
    {
        final List<Captures.Packet> packets = new ArrayList<>(original());
        packets.remove(40 - 1); // frame 40: inside server record 4 (16408 bytes), no record header in it

        final JsonNode flow = replay(packets, TlsnicMain.EXIT_OK);

        final JsonNode server = direction(flow, 1);
        assertEquals(1, server.get("incompleteRecords").asLong());
        assertEquals(25, server.get("records").asLong(), "the 25 other records of 26 are opened");
        assertEquals(0, server.get("txRecordsMismatched").asLong());
        assertEquals(expected().get("clientSha256").asText(), direction(flow, 0).get("plaintextSha256").asText());
        // TCP never gets the lost bytes: the records after the hole are opened from the capture and classified by
        // their packets' marks. The device stayed in sync (no header lost): all but the record sharing a packet
        // with the broken record's tail are whole device records.
        assertClasses(server, 24, 1, 0);
        assertTrue(server.get("receiverNote").asText().contains("hole"));
    }

    @Test
    void shouldFindTheRecordChainAgainAfterALostRecordHeader() throws Exception
    {
        final List<Captures.Packet> packets = new ArrayList<>(original());
        packets.remove(49 - 1); // frame 49: the end of server record 4 and the header of record 5

        final JsonNode flow = replay(packets, TlsnicMain.EXIT_OK);

        final JsonNode server = direction(flow, 1);
        assertEquals(1, server.get("incompleteRecords").asLong(), "record 4, whose header was seen");
        assertEquals(24, server.get("records").asLong(), "record 5 is lost whole; 6 and later are found and opened");
        assertEquals(0, server.get("txRecordsMismatched").asLong());
        // The device loses sync at the lost header and asks for a resync, but TCP never delivers past the hole, so
        // the socket never frames the requested record and nothing is confirmed: the rest is opened in software.
        assertClasses(server, 3, 0, 21);
    }

    private JsonNode replay(final List<Captures.Packet> packets, final int exitCode) throws Exception
    {
        final Path capture = temp.resolve("disordered.pcap");
        Captures.writePcap(capture, Captures.DLT_EN10MB, packets);
        final Path out = temp.resolve("out");
        final CliRun run = Captures.tlsnic("replay", capture.toString(), "--keylog",
            Captures.external(NAME + ".keys").toString(), "--out", out.toString());
        assertEquals(exitCode, run.exitCode(), run.out() + run.err());
        return new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("flows").get(0);
    }

    private static List<Captures.Packet> original()
    {
        return Captures.packets(Captures.external(NAME + ".pcap"));
    }

    private static JsonNode direction(final JsonNode flow, final int index)
    {
        return flow.get("directions").get(index);
    }

    private static JsonNode expected() throws Exception
    {
        for (final JsonNode entry : ExternalCapturesReplayTest.expected().get("captures"))
        {
            if (entry.get("capture").asText().equals(NAME + ".pcap"))
            {
                return entry;
            }
        }
        throw new AssertionError(NAME + " is in the manifest");
    }
}
