package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * The capture reader's own {@code pcap_next_ex} path gives every packet exactly as Pcap4J's
 * {@code getNextRawPacketEx} does: number, timestamp to the nanosecond, captured and original length, bytes, and the
 * end of the file; on this platform it is the path in use.
 */
class CaptureReaderTest
{
    static Stream<Path> bundledCaptures() throws IOException
    {
        try (Stream<Path> files = Files.list(Path.of("..", "pcaps")))
        {
            return files.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                .toList().stream();
        }
    }

    @Test
    void shouldReadPacketsThroughItsOwnPcapNextExOnLinux()
    {
        assertTrue(PcapNextEx.isAvailable(), "the direct pcap_next_ex mapping did not link");
    }

    @ParameterizedTest
    @MethodSource("bundledCaptures")
    void shouldReadEveryPacketAsPcap4JReadsIt(final Path capture) throws Exception
    {
        final PcapHandle reference = Pcaps.openOffline(capture.toString(), PcapHandle.TimestampPrecision.NANO);
        long packets = 0;
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            while (true)
            {
                final CapturedFrame frame = reader.next();
                byte[] expected;
                try
                {
                    expected = reference.getNextRawPacketEx();
                }
                catch (final EOFException e)
                {
                    expected = null;
                }
                if (expected == null)
                {
                    assertNull(frame, capture + ": a packet after Pcap4J's last");
                    break;
                }
                packets++;
                final java.sql.Timestamp time = reference.getTimestamp();
                final long timestampNs = Math.floorDiv(time.getTime(), 1000L) * 1_000_000_000L + time.getNanos();
                assertEquals(packets, frame.number());
                assertEquals(timestampNs, frame.timestampNs(), capture + " packet " + packets + " timestamp");
                assertEquals(expected.length, frame.capturedLength());
                assertEquals(reference.getOriginalLength(), frame.originalLength());
                assertArrayEquals(expected, frame.data(), capture + " packet " + packets);
            }
        }
        finally
        {
            reference.close();
        }
        assertFalse(packets == 0, capture + " has no packets");
    }

    @Test
    void shouldRefuseToReadOnceClosed() throws IOException
    {
        final Path capture = bundledCaptures().findFirst().orElseThrow();
        final CaptureReader reader = CaptureReader.open(capture);
        assertNotNull(reader.next());
        reader.close();
        assertThrows(IllegalStateException.class, reader::next);
    }

    @Test
    void shouldFindTheBundledCaptures() throws IOException
    {
        final List<Path> captures = bundledCaptures().toList();
        assertTrue(captures.size() >= 4, captures.toString());
    }
}
