package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpFlowControlTest
{
    private static final long MS = TestWire.MS;

    @Test
    void shouldNeverSendBeyondTheScaledWindowOfASlowReader()
    {
        final TcpConfig receiver = TcpConfig.builder().receiveBufferCapacity(100 * 1024).build();
        final TcpPair p = new TcpPair(1, TcpConfig.defaults(), receiver);
        p.wire.each(l ->
        {
            l.logging = true;
            l.bitsPerSecond = 1_000_000_000L;
        });
        p.establish(1, 2);
        final byte[] data = TcpPair.randomBytes(3, 1 << 20);
        p.appB.slowReader(4096, 10 * MS);
        p.appA.sending(data, true);

        assertTrue(p.wire.runUntil(p.b::isEndOfStream, 600_000 * MS));

        assertArrayEquals(data, p.appB.received.toByteArray());
        assertEquals(1, p.b.options().receiveWindowScale(), "100 KiB needs a shift of 1");
        assertEquals(0, p.b.counters().get(TcpCounter.RCV_BEYOND_WINDOW));
        assertTrue(p.wire.nowNs() >= (data.length / 4096 - 30) * 10 * MS, "the reader's pace bounds the transfer");
        assertSenderStayedInsideAdvertisedWindow(p);
    }

    @Test
    void shouldProbeAZeroWindowUntilTheLostWindowUpdateIsRecovered()
    {
        final TcpConfig receiver = TcpConfig.builder().receiveBufferCapacity(16 * 1024).build();
        final TcpPair p = new TcpPair(1, TcpConfig.defaults(), receiver);
        p.wire.each(l -> l.logging = true);
        p.establish(1, 2);
        final long resumeNs = p.wire.nowNs() + 2_000 * MS;
        p.appB.pauseReadingUntil(resumeNs);
        // Every ACK the receiver sends in the first 300 ms after it resumes reading is lost.
        p.wire.bToA.dropFilter = s -> p.wire.nowNs() >= resumeNs && p.wire.nowNs() < resumeNs + 300 * MS;
        final byte[] data = TcpPair.randomBytes(3, 200_000);
        p.appA.sending(data, true);

        assertTrue(p.wire.runUntil(p.b::isEndOfStream, 600_000 * MS), () -> p.a + " / " + p.b);

        assertArrayEquals(data, p.appB.received.toByteArray());
        assertTrue(p.a.counters().get(TcpCounter.WIN_PROBE) >= 2, p.a.counters()::toString);
        assertEquals(0, p.b.counters().get(TcpCounter.RCV_BEYOND_WINDOW));
        assertSenderStayedInsideAdvertisedWindow(p);
    }

    @Test
    void shouldAdvertiseAZeroWindowWhenTheReceiveBufferIsFull()
    {
        final TcpConfig receiver = TcpConfig.builder().receiveBufferCapacity(16 * 1024).build();
        final TcpPair p = new TcpPair(1, TcpConfig.defaults(), receiver);
        p.wire.bToA.logging = true;
        p.establish(1, 2);
        p.appB.pauseReadingUntil(p.wire.nowNs() + 10_000 * MS);
        p.appA.sending(new byte[100_000], false);

        p.wire.runFor(1_000 * MS);

        assertEquals(16 * 1024, p.b.readableBytes());
        final TestWire.Carried last = p.wire.bToA.log.get(p.wire.bToA.log.size() - 1);
        assertEquals(0, last.segment().window());
        assertEquals(0, p.a.sendWindow());
        assertEquals(100_000 - 16 * 1024, p.a.sendBufferLength(), "everything else waits in the send buffer");
    }

    @Test
    void shouldAcceptOnlyWhatTheSendBufferHoldsAndCallBackWhenWritable()
    {
        final TcpConfig sender = TcpConfig.builder().sendBufferCapacity(8 * 1024).build();
        final TcpPair p = new TcpPair(1, sender, TcpConfig.defaults());
        p.establish(1, 2);

        assertEquals(8 * 1024, p.a.send(new byte[20_000], 0, 20_000));
        assertEquals(0, p.a.send(new byte[1], 0, 1));
        final boolean[] writable = {false};
        p.a.setListener(new TcpConnectionListener()
        {
            @Override
            public void onWritable(final TcpConnection c)
            {
                writable[0] = true;
            }
        });
        assertTrue(p.wire.runUntil(() -> writable[0], 10_000 * MS));
        assertTrue(p.a.sendBufferFree() >= 8 * 1024 / 3, "called back once a third of the buffer is free");
    }

    /** Every data byte A sent lies before the highest right edge B had advertised by then. */
    private static void assertSenderStayedInsideAdvertisedWindow(final TcpPair p)
    {
        int maxEdge = 0;
        boolean haveEdge = false;
        int bIndex = 0;
        final int scale = p.b.options().receiveWindowScale();
        for (final TestWire.Carried sent : p.wire.aToB.log)
        {
            while (bIndex < p.wire.bToA.log.size() && p.wire.bToA.log.get(bIndex).timeNs() <= sent.timeNs())
            {
                final TcpSegment s = p.wire.bToA.log.get(bIndex++).segment();
                if (s.has(TcpSegment.ACK) && !s.has(TcpSegment.RST))
                {
                    final int edge = s.ack() + (s.has(TcpSegment.SYN) ? s.window() : s.window() << scale);
                    maxEdge = haveEdge ? Seq.max(maxEdge, edge) : edge;
                    haveEdge = true;
                }
            }
            final TcpSegment s = sent.segment();
            if (s.payloadLength() > 0)
            {
                final int end = s.seq() + s.payloadLength();
                final int edge = maxEdge;
                assertTrue(haveEdge && Seq.beforeOrAt(end, maxEdge),
                    () -> "segment " + s + " ends past the advertised edge " + Seq.toUnsigned(edge));
            }
        }
    }
}
