package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TcpAckTest
{
    private static final long MS = TestWire.MS;

    private static TcpPair pair()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults());
        p.wire.bToA.logging = true;
        p.establish(100, 200);
        p.wire.bToA.log.clear();
        // The receiver does not read, so no window update ACK mixes with the ACKs under test.
        p.appB.pauseReadingUntil(p.wire.nowNs() + 3_600_000 * MS);
        return p;
    }

    private static List<TestWire.Carried> acks(final TcpPair p)
    {
        return p.wire.bToA.log;
    }

    @Test
    void shouldDelayTheAckOfASingleSegmentByTheDelayedAckTimer()
    {
        final TcpPair p = pair();
        final long sentAt = p.wire.nowNs();
        p.a.send(new byte[100], 0, 100);

        p.wire.runFor(100 * MS);

        assertEquals(1, acks(p).size());
        assertEquals(sentAt + MS + 40 * MS, acks(p).get(0).timeNs(), "one hop, then the 40 ms timer");
        assertEquals(101 + 100, acks(p).get(0).segment().ack());
        assertEquals(1, p.b.counters().get(TcpCounter.DELAYED_ACKS));
    }

    @Test
    void shouldAckEverySecondFullSegmentAtOnce()
    {
        final TcpPair p = pair();
        final long sentAt = p.wire.nowNs();
        p.a.send(new byte[4 * 1448], 0, 4 * 1448);

        p.wire.runFor(10 * MS);

        assertEquals(2, acks(p).size());
        for (final TestWire.Carried ack : acks(p))
        {
            assertEquals(sentAt + MS, ack.timeNs(), "no delay");
        }
        assertEquals(101 + 2 * 1448, acks(p).get(0).segment().ack());
        assertEquals(101 + 4 * 1448, acks(p).get(1).segment().ack());
        assertEquals(0, p.b.counters().get(TcpCounter.DELAYED_ACKS));
    }

    @Test
    void shouldAckOutOfOrderAndGapFillingSegmentsAtOnceWithSack()
    {
        final TcpPair p = pair();
        final int[] n = {0};
        p.wire.aToB.dropFilter = s -> s.payloadLength() > 0 && n[0]++ == 0;
        p.wire.aToB.logging = true;
        p.a.send(new byte[3 * 1448], 0, 3 * 1448);

        p.wire.runFor(5 * MS);

        assertEquals(2, acks(p).size(), "one duplicate ACK per out-of-order segment");
        final TcpSegment second = acks(p).get(1).segment();
        assertEquals(101, second.ack());
        assertEquals(1, second.sackBlockCount());
        assertEquals(101 + 1448, second.sackStart(0));
        assertEquals(101 + 3 * 1448, second.sackEnd(0));
        assertEquals(2, p.b.counters().get(TcpCounter.OFO_QUEUE));

        p.wire.runFor(300 * MS);

        final TcpSegment afterRetransmission = acks(p).get(2).segment();
        assertEquals(101 + 3 * 1448, afterRetransmission.ack(), "the gap filler is acknowledged at once");
        assertEquals(0, afterRetransmission.sackBlockCount());
    }

    @Test
    void shouldReportDuplicateDataWithDsack()
    {
        final TcpPair p = pair();
        p.wire.aToB.duplicateRate = 1.0;
        p.a.send(new byte[1000], 0, 1000);

        p.wire.runFor(100 * MS);

        final TcpSegment dsack = acks(p).stream().map(TestWire.Carried::segment)
            .filter(s -> s.sackBlockCount() > 0).findFirst().orElseThrow();
        assertEquals(101, dsack.sackStart(0));
        assertEquals(1101, dsack.sackEnd(0));
        assertEquals(1101, dsack.ack());
        assertEquals(1, p.a.counters().get(TcpCounter.DSACK_RECV));
        assertEquals(1, p.b.counters().get(TcpCounter.DSACK_OLD_SENT));
    }

    @Test
    void shouldHoldBackARuntWhileDataIsInFlightWithNagle()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.builder().nagle(true).build());
        p.wire.aToB.logging = true;
        p.establish(100, 200);
        p.a.send(new byte[100], 0, 100);
        p.a.send(new byte[100], 0, 100);
        p.a.send(new byte[100], 0, 100);

        p.wire.runFor(100 * MS);

        final List<Integer> lengths = p.wire.aToB.log.stream().map(c -> c.segment().payloadLength())
            .filter(n -> n > 0).toList();
        assertEquals(List.of(100, 200), lengths, "the 2nd and 3rd runts wait for the 1st ACK, then go together");
    }

    @Test
    void shouldSendEveryRuntAtOnceWithoutNagleByDefault()
    {
        final TcpPair p = pair();
        p.wire.aToB.logging = true;
        p.a.send(new byte[100], 0, 100);
        p.a.send(new byte[100], 0, 100);
        p.a.send(new byte[100], 0, 100);

        p.wire.runFor(100 * MS);

        final List<Integer> lengths = p.wire.aToB.log.stream().map(c -> c.segment().payloadLength())
            .filter(n -> n > 0).toList();
        assertEquals(List.of(100, 100, 100), lengths);
    }
}
