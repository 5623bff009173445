package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TcpReassemblerTest
{
    private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
    private final List<long[]> gaps = new ArrayList<>();
    private final TcpReassembler reassembler = new TcpReassembler(new TcpReassembler.StreamSink()
    {
        @Override
        public void onData(final long streamOffset, final byte[] data, final int offset, final int length)
        {
            assertEquals(stream.size() + gapBytes(), streamOffset, "data arrives in stream order");
            stream.write(data, offset, length);
        }

        @Override
        public void onGap(final long streamOffset, final long length)
        {
            gaps.add(new long[] {streamOffset, length});
        }
    });

    @Test
    void shouldDeliverRetransmittedAndDuplicatedBytesOnce()
    {
        reassembler.accept(99, true, new byte[0]);
        assertEquals(TcpReassembler.Arrival.IN_ORDER, reassembler.accept(100, false, bytes(0, 10)));
        assertEquals(TcpReassembler.Arrival.DUPLICATE, reassembler.accept(100, false, bytes(0, 10)));
        assertEquals(TcpReassembler.Arrival.IN_ORDER, reassembler.accept(105, false, bytes(5, 10)));

        assertArrayEquals(bytes(0, 15), stream.toByteArray());
    }

    @Test
    void shouldHoldReorderedSegmentsUntilTheHoleIsFilled()
    {
        reassembler.accept(1000, false, bytes(0, 4));
        assertEquals(TcpReassembler.Arrival.OUT_OF_ORDER, reassembler.accept(1008, false, bytes(8, 4)));
        assertEquals(TcpReassembler.Arrival.OUT_OF_ORDER, reassembler.accept(1006, false, bytes(6, 4)));
        assertEquals(4, stream.size());
        assertEquals(TcpReassembler.Arrival.IN_ORDER, reassembler.accept(1004, false, bytes(4, 2)));

        assertArrayEquals(bytes(0, 12), stream.toByteArray());
    }

    @Test
    void shouldReportAHoleNothingFillsAsAGapAtTheEnd()
    {
        reassembler.accept(1000, false, bytes(0, 4));
        reassembler.accept(1010, false, bytes(10, 4));
        reassembler.finish();

        assertEquals(1, gaps.size());
        assertArrayEquals(new long[] {4, 6}, gaps.get(0));
        assertEquals(8, stream.size());
    }

    @Test
    void shouldFollowSequenceNumbersAcrossTheWrap()
    {
        final long start = 0xFFFF_FFF8L;
        reassembler.accept(start, false, bytes(0, 8));
        reassembler.accept(0, false, bytes(8, 8));

        assertArrayEquals(bytes(0, 16), stream.toByteArray());
        assertEquals(16, reassembler.streamOffset(8));
        assertEquals(0xFFFF_FFF8L, reassembler.seq(0));
    }

    @Test
    void shouldIgnorePayloadBeforeTheStart()
    {
        reassembler.accept(5000, false, bytes(0, 4));

        assertEquals(TcpReassembler.Arrival.BEFORE_START, reassembler.accept(4990, false, bytes(0, 4)));
        assertEquals(4, stream.size());
    }

    private long gapBytes()
    {
        return gaps.stream().mapToLong(gap -> gap[1]).sum();
    }

    private static byte[] bytes(final int from, final int length)
    {
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++)
        {
            out[i] = (byte)(from + i);
        }
        return out;
    }
}
