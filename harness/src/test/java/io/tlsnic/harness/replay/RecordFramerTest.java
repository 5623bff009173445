package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecordFramerTest
{
    private final List<String> seen = new ArrayList<>();
    private final RecordFramer framer = new RecordFramer(new RecordFramer.RecordSink()
    {
        @Override
        public void onRecord(final long streamOffset, final byte[] record, final boolean afterLostChain)
        {
            seen.add("record@" + streamOffset + "/" + record.length + (afterLostChain ? " after lost chain" : ""));
        }

        @Override
        public void onIncomplete(final long streamOffset, final int recordLength, final String reason)
        {
            seen.add("incomplete@" + streamOffset + "/" + recordLength);
        }

        @Override
        public void onNotTls(final long streamOffset)
        {
            seen.add("not tls@" + streamOffset);
        }
    });

    @Test
    void shouldFrameRecordsSplitAtEveryBoundary()
    {
        final byte[] stream = records(10, 0, 300);
        for (int split = 1; split < stream.length; split++)
        {
            seen.clear();
            final RecordFramer each = new RecordFramer(framerSinkInto(seen));
            each.onData(0, stream, 0, split);
            each.onData(split, stream, split, stream.length - split);
            assertEquals(List.of("record@0/15", "record@15/5", "record@20/305"), seen, "split at " + split);
        }
    }

    @Test
    void shouldResumeAtTheNextRecordWhenAGapIsInsideARecordWhoseHeaderWasSeen()
    {
        final byte[] stream = records(100, 20);
        framer.onData(0, stream, 0, 30);
        framer.onGap(30, 40);
        framer.onData(70, stream, 70, stream.length - 70);

        assertEquals(List.of("incomplete@0/105", "record@105/25"), seen);
    }

    @Test
    void shouldSearchForTheChainWhenAGapHidesARecordHeader()
    {
        final byte[] stream = records(100, 20, 30, 40);
        framer.onData(0, stream, 0, 100);
        framer.onGap(100, 20);
        framer.onData(120, stream, 120, stream.length - 120);

        assertEquals(List.of("incomplete@0/105", "record@130/35 after lost chain", "record@165/45"), seen);
    }

    @Test
    void shouldStopAtBytesThatAreNotARecordHeader()
    {
        final byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        framer.onData(0, http, 0, http.length);
        framer.finish();

        assertEquals(List.of("not tls@0"), seen);
    }

    @Test
    void shouldReportARecordTheCaptureEndsInside()
    {
        final byte[] stream = records(50);
        framer.onData(0, stream, 0, 20);
        framer.finish();

        assertFalse(seen.isEmpty());
        assertTrue(seen.get(0).startsWith("incomplete@0/55"), seen.toString());
    }

    private static RecordFramer.RecordSink framerSinkInto(final List<String> into)
    {
        return new RecordFramer.RecordSink()
        {
            @Override
            public void onRecord(final long streamOffset, final byte[] record, final boolean afterLostChain)
            {
                into.add("record@" + streamOffset + "/" + record.length);
            }

            @Override
            public void onIncomplete(final long streamOffset, final int recordLength, final String reason)
            {
                into.add("incomplete@" + streamOffset);
            }

            @Override
            public void onNotTls(final long streamOffset)
            {
                into.add("not tls@" + streamOffset);
            }
        };
    }

    /** @return application-data records with these body lengths; bodies are 0x17-free filler. */
    private static byte[] records(final int... bodyLengths)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final int length : bodyLengths)
        {
            out.write(23);
            out.write(3);
            out.write(3);
            out.write(length >>> 8);
            out.write(length);
            for (int i = 0; i < length; i++)
            {
                out.write(0x5A);
            }
        }
        return out.toByteArray();
    }
}
