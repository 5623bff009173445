package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpMarkAndTsoTest
{
    private static final long MS = TestWire.MS;

    /** A frame as the test device delivered it: where it was and which mark it carried. */
    private record Frame(int seq, int length, int mark)
    {
        boolean holds(final int chunkSeq, final int chunkLength)
        {
            return Seq.afterOrAt(chunkSeq, seq) && Seq.beforeOrAt(chunkSeq + chunkLength, seq + length);
        }
    }

    /** Reads chunk by chunk with {@link TcpConnection#forEachReadableChunk} and keeps each chunk's mark. */
    private static final class ChunkReader implements TcpConnectionListener
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Frame> chunks = new ArrayList<>();

        @Override
        public void onReadable(final TcpConnection c)
        {
            final int[] total = {0};
            c.forEachReadableChunk((seq, data, offset, length, mark) ->
            {
                chunks.add(new Frame(seq, length, mark));
                bytes.write(data, offset, length);
                total[0] += length;
                return true;
            });
            c.consume(total[0]);
        }
    }

    @Test
    void shouldKeepEachFramesMarkOnItsChunkWithoutMerging()
    {
        final TcpPair p = new TcpPair(4, TcpConfig.defaults());
        final List<Frame> frames = new ArrayList<>();
        final int[] counter = {0};
        p.wire.aToB.device = s ->
        {
            // The device marks frames decrypted, not, or failed, in turn.
            final TcpSegment marked = s.toBuilder().mark(counter[0]++ % 3).build();
            if (s.payloadLength() > 0)
            {
                frames.add(new Frame(s.seq(), s.payloadLength(), marked.mark()));
            }
            return List.of(marked);
        };
        p.establish(0xFFFF_0000, 7);
        final ChunkReader reader = new ChunkReader();
        p.b.setListener(reader);
        final byte[] data = TcpPair.randomBytes(8, 200_000);
        p.appA.sending(data, true);

        assertTrue(p.wire.runUntil(p.b::isEndOfStream, 60_000 * MS));

        assertArrayEquals(data, reader.bytes.toByteArray());
        assertEquals(frames, reader.chunks, "without loss, one chunk per frame, with the frame's mark");
    }

    @Test
    void shouldNeverMergeMarksUnderLossReorderingAndDuplication()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            final TcpPair p = new TcpPair(seed, TcpConfig.defaults());
            p.wire.each(l ->
            {
                l.lossRate = 0.05;
                l.reorderRate = 0.1;
                l.reorderDelayNs = 2 * MS;
                l.duplicateRate = 0.05;
            });
            final List<Frame> frames = new ArrayList<>();
            final int[] counter = {0};
            p.wire.aToB.device = s ->
            {
                final TcpSegment marked = s.toBuilder().mark(counter[0]++ % 3).build();
                frames.add(new Frame(s.seq(), s.payloadLength(), marked.mark()));
                return List.of(marked);
            };
            p.establish(seed, 7);
            final ChunkReader reader = new ChunkReader();
            p.b.setListener(reader);
            final byte[] data = TcpPair.randomBytes(seed, 100_000);
            p.appA.sending(data, true);

            assertTrue(p.wire.runUntil(p.b::isEndOfStream, 600_000 * MS));

            assertArrayEquals(data, reader.bytes.toByteArray());
            for (final Frame chunk : reader.chunks)
            {
                assertTrue(frames.stream().anyMatch(f -> f.mark() == chunk.mark() && f.holds(chunk.seq(), chunk.length())),
                    () -> "chunk " + chunk + " is not a part of one frame with its mark");
            }
        }
    }

    @Test
    void shouldHandTheDeviceTsoSuperSegmentsThatItSplitsIntoMssFrames()
    {
        final TcpConfig tso = TcpConfig.builder().tso(true).build();
        final TcpPair p = new TcpPair(5, tso, TcpConfig.defaults());
        final List<TcpSegment> superSegments = new ArrayList<>();
        final int[] frames = {0};
        p.wire.aToB.device = s ->
        {
            final List<TcpSegment> out = TestWire.splitTso(s);
            if (s.tsoMss() != 0)
            {
                superSegments.add(s);
            }
            frames[0] += out.size();
            return out;
        };
        p.wire.aToB.logging = true;
        p.wire.aToB.bitsPerSecond = 10_000_000_000L;
        p.establish(0, 9);
        final byte[] first = TcpPair.randomBytes(6, 2 << 20);
        p.appA.sending(first, false);
        assertTrue(p.wire.runUntil(() -> p.appB.receivedLength() == first.length && p.a.sndUna() == p.a.sndMax(),
            600_000 * MS));
        // With the window open, a new burst goes out as TSO super-segments of the largest size.
        superSegments.clear();
        final java.util.Set<Integer> droppedOnce = new java.util.HashSet<>();
        p.wire.aToB.dropFilter = s -> s.payloadLength() > 0 && s.seq() % 97 == 0 && droppedOnce.add(s.seq());
        final byte[] second = TcpPair.randomBytes(7, 1 << 20);
        p.appA.sending(second, true);

        assertTrue(p.wire.runUntil(p.b::isEndOfStream, 600_000 * MS), () -> p.a + " / " + p.b);

        final byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        assertArrayEquals(all, p.appB.received.toByteArray());
        assertTrue(p.a.counters().get(TcpCounter.RETRANS_SEGS) > 0);
        final int mss = p.a.effectiveMss();
        final int largest = tso.tsoMaxBytes() / mss * mss;
        assertTrue(superSegments.stream().anyMatch(s -> s.payloadLength() == largest), "a full " + largest +
            " byte super-segment");
        for (final TcpSegment s : superSegments)
        {
            assertEquals(mss, s.tsoMss());
            assertTrue(s.payloadLength() <= largest, s::toString);
        }
        for (final TestWire.Carried c : p.wire.aToB.log)
        {
            assertTrue(c.segment().payloadLength() <= mss && c.segment().tsoMss() == 0, c.segment()::toString);
        }
        assertEquals(frames[0], p.a.counters().get(TcpCounter.OUT_SEGS), "a super-segment counts as its frames");
    }
}
