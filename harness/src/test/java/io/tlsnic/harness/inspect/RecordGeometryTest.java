package io.tlsnic.harness.inspect;

import static io.tlsnic.harness.inspect.TinyCapture.clientHello;
import static io.tlsnic.harness.inspect.TinyCapture.concat;
import static io.tlsnic.harness.inspect.TinyCapture.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-built captures with record boundaries at every awkward place against the segments that carry them. */
class RecordGeometryTest
{
    private static final int APPLICATION_DATA = 23;
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldCountAHeaderSplitAfterEachOfItsFirstFourBytes(final int headerBytesInFirst) throws IOException
    {
        final byte[] first = record(APPLICATION_DATA, 100);
        final byte[] stream = concat(first, record(APPLICATION_DATA, 100));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).cutAt(first.length + headerBytesInFirst));

        assertEquals(1, figures.splits().headerSplit());
        final Map<String, Long> expected = new HashMap<>(Map.of("1", 0L, "2", 0L, "3", 0L, "4", 0L));
        expected.put(String.valueOf(headerBytesInFirst), 1L);
        assertEquals(expected, figures.splits().headerSplitAfterByte());
        assertEquals(1, figures.splits().startAtSegmentStart());
        assertEquals(1, figures.splits().startMidSegment());
        assertEquals(0, figures.splits().tagSplit());
        assertEquals(Map.of("0", 1L, "1", 0L, "2", 1L, "3+", 0L), figures.segments().recordStarts().buckets());
        assertEquals(Map.of("1", 1L, "2", 1L, "3", 0L, "4-7", 0L, "8-15", 0L, "16+", 0L),
            figures.segments().segmentsPerRecord().buckets());
    }

    @Test
    void shouldNotCountAHeaderSplitWhenTheSegmentEndsRightAfterTheHeader() throws IOException
    {
        final byte[] first = record(APPLICATION_DATA, 100);
        final byte[] stream = concat(first, record(APPLICATION_DATA, 100));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).cutAt(first.length + 5));

        assertEquals(0, figures.splits().headerSplit());
        assertEquals(0, figures.splits().tagSplit());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 15})
    void shouldCountATagSplitWhenASegmentEndsInsideTheLast16Bytes(final int tagBytesInFirst) throws IOException
    {
        final byte[] stream = record(APPLICATION_DATA, 100);

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).cutAt(stream.length - 16 + tagBytesInFirst));

        assertEquals(1, figures.splits().protectedRecords());
        assertEquals(1, figures.splits().tagSplit());
        assertEquals(0, figures.splits().headerSplit());
    }

    @Test
    void shouldNotCountATagSplitWhenTheTagBeginsASegment() throws IOException
    {
        final byte[] stream = record(APPLICATION_DATA, 100);

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).cutAt(stream.length - 16));

        assertEquals(1, figures.splits().protectedRecords());
        assertEquals(0, figures.splits().tagSplit());
        assertEquals(Map.of("0", 1L, "1", 1L, "2", 0L, "3+", 0L), figures.segments().recordStarts().buckets());
    }

    @Test
    void shouldCountTwoRecordsInOneSegment() throws IOException
    {
        final byte[] stream = concat(record(APPLICATION_DATA, 40), record(APPLICATION_DATA, 60));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).cutAt());

        assertEquals(1, figures.segments().count());
        assertEquals(Map.of("0", 0L, "1", 0L, "2", 1L, "3+", 0L), figures.segments().recordStarts().buckets());
        assertEquals(1, figures.splits().startAtSegmentStart());
        assertEquals(1, figures.splits().startMidSegment());
        assertEquals(2, figures.segments().segmentsPerRecord().buckets().get("1"));
    }

    @Test
    void shouldCountFourRecordStartsInOneSegmentAsThreeOrMore() throws IOException
    {
        final byte[] stream = concat(record(APPLICATION_DATA, 20), record(APPLICATION_DATA, 20),
            record(APPLICATION_DATA, 20), record(APPLICATION_DATA, 20));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).cutAt());

        assertEquals(1L, figures.segments().recordStarts().buckets().get("3+"));
        assertEquals(4, figures.segments().recordStarts().max());
    }

    @Test
    void shouldCountOneRecordOverThreeSegmentsAndTheSegmentsInsideItsBody() throws IOException
    {
        final byte[] stream = record(APPLICATION_DATA, 3000);

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).cutAt(1000, 2000));

        assertEquals(3, figures.segments().count());
        assertEquals(Map.of("0", 2L, "1", 1L, "2", 0L, "3+", 0L), figures.segments().recordStarts().buckets());
        assertEquals(1L, figures.segments().segmentsPerRecord().buckets().get("3"));
        assertEquals(3, figures.segments().segmentsPerRecord().max());
        assertEquals(3005, figures.records().length().max());
        assertEquals(0, figures.splits().headerSplit());
        assertEquals(0, figures.splits().tagSplit());
    }

    @Test
    void shouldTakeRecordsAfterTheChangeCipherSpecAsProtectedButNotTheClientHello() throws IOException
    {
        final byte[] stream = concat(clientHello(200), record(CHANGE_CIPHER_SPEC, 1), record(HANDSHAKE, 40),
            record(APPLICATION_DATA, 30));

        final InspectReport report = Inspector.inspect(TinyCapture.of(stream).cutAt(100, 230).write(temp.resolve("c.pcap")));
        final GeometryFigures figures = report.directions().get(0).figures();

        assertEquals("c2s", report.directions().get(0).direction());
        assertEquals(4, figures.records().count());
        assertEquals(Map.of("handshake", 2L, "change_cipher_spec", 1L, "alert", 0L, "application_data", 1L),
            figures.records().byType());
        assertEquals(2, figures.splits().protectedRecords());
        assertEquals(stream.length, figures.records().length().sum());
        assertEquals(stream.length, figures.streamBytes());
    }

    @Test
    void shouldLeaveARetransmissionOutOfTheGeometryAndCountIt() throws IOException
    {
        final byte[] first = record(APPLICATION_DATA, 100);
        final byte[] stream = concat(first, record(APPLICATION_DATA, 100));
        final int cut = first.length + 2;

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).slice(0, cut).slice(0, cut)
            .slice(cut, stream.length));

        assertEquals(3, figures.segments().count());
        assertEquals(1, figures.loss().retransmitted());
        assertEquals(0, figures.loss().outOfOrder());
        assertEquals(2, figures.segments().recordStarts().count());
        assertEquals(1, figures.splits().headerSplit());
        assertEquals(stream.length, figures.streamBytes());
    }

    @Test
    void shouldKeepTheFirstSegmentationWhenARetransmissionRepacksTheBytes() throws IOException
    {
        final byte[] stream = concat(record(APPLICATION_DATA, 100), record(APPLICATION_DATA, 100));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).slice(0, 50).slice(0, 150)
            .slice(150, stream.length));

        assertEquals(1, figures.loss().partlyRetransmitted());
        assertEquals(0, figures.loss().retransmitted());
        assertEquals(Map.of("1", 0L, "2", 2L, "3", 0L, "4-7", 0L, "8-15", 0L, "16+", 0L),
            figures.segments().segmentsPerRecord().buckets());
        assertEquals(1, figures.splits().startAtSegmentStart());
        assertEquals(1, figures.splits().startMidSegment());
    }

    @Test
    void shouldCountAGapFilledLateAsOutOfOrderWithEveryRecordWhole() throws IOException
    {
        final byte[] stream = concat(record(APPLICATION_DATA, 100), record(APPLICATION_DATA, 100));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).slice(0, 60).slice(120, stream.length)
            .slice(60, 120));

        assertEquals(1, figures.loss().gaps());
        assertEquals(60, figures.loss().gapBytes());
        assertEquals(1, figures.loss().outOfOrder());
        assertEquals(0, figures.loss().missingBytes());
        assertEquals(2, figures.records().count());
        assertEquals(0, figures.records().incomplete());
        assertEquals(Map.of("0", 1L, "1", 2L, "2", 0L, "3+", 0L), figures.segments().recordStarts().buckets());
    }

    @Test
    void shouldCountBytesNeverCapturedAndTheRecordTheyBelongTo() throws IOException
    {
        final byte[] stream = concat(record(APPLICATION_DATA, 100), record(APPLICATION_DATA, 100),
            record(APPLICATION_DATA, 100));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).slice(0, 150).slice(180, stream.length));

        assertEquals(1, figures.loss().gaps());
        assertEquals(1, figures.loss().missingRanges());
        assertEquals(30, figures.loss().missingBytes());
        assertEquals(2, figures.records().count());
        assertEquals(1, figures.records().incomplete());
        assertEquals(0, figures.segments().unframed());
    }

    @Test
    void shouldLeaveSegmentsOutOfTheRecordStartsWhereAGapHidTheChain() throws IOException
    {
        final byte[] stream = concat(record(APPLICATION_DATA, 100), record(APPLICATION_DATA, 100),
            record(APPLICATION_DATA, 100), record(APPLICATION_DATA, 100), record(APPLICATION_DATA, 100));

        final GeometryFigures figures = clientDirection(TinyCapture.of(stream).slice(0, 100).slice(200, 260)
            .slice(260, stream.length));

        // records at 0 (bytes 100..105 missing), 105 (header lost: the chain resumes at 210), 210, 315, 420
        assertEquals(100, figures.loss().missingBytes());
        assertEquals(1, figures.records().incomplete());
        assertEquals(3, figures.records().count());
        assertEquals(1, figures.segments().unframed(), "the segment at 200 holds bytes of the unknown chain");
        assertEquals(Map.of("0", 0L, "1", 1L, "2", 1L, "3+", 0L), figures.segments().recordStarts().buckets());
    }

    @Test
    void shouldSkipADirectionThatIsNotTls() throws IOException
    {
        final byte[] http = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        final InspectReport report = Inspector.inspect(TinyCapture.of(http).cutAt().write(temp.resolve("http.pcap")));

        assertTrue(report.directions().isEmpty());
        assertEquals(2, report.skipped().size());
        assertEquals("c2s", report.skipped().get(0).direction());
        assertTrue(report.skipped().get(0).reason().startsWith("not TLS: the stream does not begin with a TLS record"
            + " header (tcp seq 4294967041, packet 3)"), report.skipped().get(0).reason());
        assertEquals("no payload", report.skipped().get(1).reason());
    }

    @Test
    void shouldSayACaptureWithoutSynMayBeginInsideARecord() throws IOException
    {
        final byte[] stream = concat(record(APPLICATION_DATA, 100), record(APPLICATION_DATA, 100));
        final TinyCapture capture = TinyCapture.withoutHandshake(stream).slice(50, stream.length);

        final InspectReport report = Inspector.inspect(capture.write(temp.resolve("midstream.pcap")));

        assertTrue(report.directions().isEmpty());
        assertEquals("not TLS: the stream does not begin with a TLS record header (tcp seq 4294967091, packet 1); no"
            + " SYN in the capture, so it may begin inside a record", report.skipped().get(0).reason());
    }

    private GeometryFigures clientDirection(final TinyCapture capture) throws IOException
    {
        final InspectReport report = Inspector.inspect(capture.write(temp.resolve("tiny.pcap")));
        assertEquals(1, report.directions().size(), report.toString());
        assertEquals("c2s", report.directions().get(0).direction());
        assertEquals(TinyCapture.CLIENT_PORT, Integer.parseInt(report.directions().get(0).src().split(":")[1]));
        return report.directions().get(0).figures();
    }
}
