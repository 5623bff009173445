package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpLossRecoveryTest
{
    private static final long MS = TestWire.MS;
    private static final int ISS = 1_000;
    private static final int FIRST_DATA_SEQ = ISS + 1;

    @Test
    void shouldFastRetransmitOnThreeDuplicateAcksWithSack()
    {
        final Result r = transferDroppingOnce(TcpConfig.defaults(), 10 * MS, 20);

        assertEquals(1, r.pair.a.counters().get(TcpCounter.FAST_RETRANS));
        assertEquals(1, r.pair.a.counters().get(TcpCounter.RETRANS_SEGS));
        assertEquals(1, r.pair.a.counters().get(TcpCounter.SACK_RECOVERY));
        assertEquals(0, r.pair.a.counters().get(TcpCounter.TIMEOUTS));
        assertEquals(3, r.duplicateAcksBeforeRetransmission, "retransmitted on the third duplicate ACK");
    }

    @Test
    void shouldFastRetransmitOnThreeDuplicateAcksWithNewRenoWithoutSack()
    {
        final Result r = transferDroppingOnce(TcpConfig.builder().sack(false).build(), 10 * MS, 20);

        assertEquals(1, r.pair.a.counters().get(TcpCounter.FAST_RETRANS));
        assertEquals(1, r.pair.a.counters().get(TcpCounter.RENO_RECOVERY));
        assertEquals(0, r.pair.a.counters().get(TcpCounter.TIMEOUTS));
        assertEquals(3, r.duplicateAcksBeforeRetransmission, "retransmitted on the third duplicate ACK");
    }

    @Test
    void shouldFillSeveralSackHolesWithinOneRoundTrip()
    {
        final long oneWay = 10 * MS;
        final TcpPair p = pairWithDrops(TcpConfig.defaults(), oneWay, 40, 43, 46);
        final List<Long> retransmitTimes = runAndCollectRetransmissions(p, 300_000);

        assertEquals(3, p.a.counters().get(TcpCounter.FAST_RETRANS));
        assertEquals(1, p.a.counters().get(TcpCounter.SACK_RECOVERY));
        assertEquals(0, p.a.counters().get(TcpCounter.TIMEOUTS));
        assertEquals(3, retransmitTimes.size());
        assertTrue(retransmitTimes.get(2) - retransmitTimes.get(0) < 2 * oneWay,
            "all holes resent within one RTT: " + retransmitTimes);
    }

    @Test
    void shouldNeedOneRoundTripPerHoleWithNewRenoWithoutSack()
    {
        final long oneWay = 10 * MS;
        final TcpPair p = pairWithDrops(TcpConfig.builder().sack(false).build(), oneWay, 40, 43, 46);
        final List<Long> retransmitTimes = runAndCollectRetransmissions(p, 300_000);

        assertEquals(1, p.a.counters().get(TcpCounter.RENO_RECOVERY));
        assertEquals(0, p.a.counters().get(TcpCounter.TIMEOUTS));
        assertEquals(3, retransmitTimes.size());
        assertTrue(retransmitTimes.get(2) - retransmitTimes.get(0) >= 2 * 2 * oneWay,
            "partial ACKs reveal one hole per RTT: " + retransmitTimes);
    }

    @Test
    void shouldDoubleTheRetransmissionTimeoutOnEveryExpiry()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults());
        p.wire.aToB.logging = true;
        p.establish(ISS, 5_000);
        final long outageEndNs = p.wire.nowNs() + 7_000 * MS;
        p.wire.aToB.dropFilter = s -> p.wire.nowNs() < outageEndNs;
        final byte[] data = TcpPair.randomBytes(1, 20_000);
        p.appA.sending(data, false);

        assertTrue(p.wire.runUntil(() -> p.appB.receivedLength() == data.length, 60_000 * MS));

        final List<Long> firstSegmentSends = new ArrayList<>();
        for (final TestWire.Carried c : p.wire.aToB.log)
        {
            if (c.segment().seq() == FIRST_DATA_SEQ && c.segment().payloadLength() > 0)
            {
                firstSegmentSends.add(c.timeNs());
            }
        }
        final List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < firstSegmentSends.size(); i++)
        {
            intervals.add(firstSegmentSends.get(i) - firstSegmentSends.get(i - 1));
        }
        assertEquals(List.of(200 * MS, 400 * MS, 800 * MS, 1600 * MS, 3200 * MS, 6400 * MS), intervals,
            "min RTO 200 ms, doubled on each expiry");
        assertEquals(6, p.a.counters().get(TcpCounter.TIMEOUTS));
        assertEquals(0, p.a.counters().get(TcpCounter.FAST_RETRANS));
        assertArrayEquals(data, p.appB.received.toByteArray());
        assertEquals(200 * MS, p.a.rtoNs(), "a fresh RTT sample clears the back-off");
    }

    @Test
    void shouldCapTheBackedOffTimeoutAtTheMaximum()
    {
        final TcpConfig config = TcpConfig.builder().maxRtoNs(1000 * MS).build();
        final TcpPair p = new TcpPair(1, config);
        p.wire.aToB.logging = true;
        p.establish(ISS, 5_000);
        final long outageEndNs = p.wire.nowNs() + 5_000 * MS;
        p.wire.aToB.dropFilter = s -> p.wire.nowNs() < outageEndNs;
        p.appA.sending(new byte[1000], false);

        assertTrue(p.wire.runUntil(() -> p.appB.receivedLength() == 1000, 60_000 * MS));

        final List<Long> sends = new ArrayList<>();
        p.wire.aToB.log.stream().filter(c -> c.segment().payloadLength() > 0).forEach(c -> sends.add(c.timeNs()));
        for (int i = 1; i < sends.size(); i++)
        {
            assertTrue(sends.get(i) - sends.get(i - 1) <= 1000 * MS, "interval capped: " + sends);
        }
    }

    @Test
    void shouldGiveUpWithResetAfterTooManyConsecutiveTimeouts()
    {
        final TcpConfig config = TcpConfig.builder().maxRetransmissions(3).build();
        final TcpPair p = new TcpPair(1, config);
        p.establish(ISS, 5_000);
        p.wire.aToB.dropFilter = s -> !s.has(TcpSegment.RST);
        p.appA.sending(new byte[1000], false);

        assertTrue(p.wire.runUntil(() -> p.appA.closed, 600_000 * MS));

        assertTrue(p.appA.closedByReset);
        assertEquals(1, p.a.counters().get(TcpCounter.ABORT_ON_TIMEOUT));
        assertEquals(3, p.a.counters().get(TcpCounter.TIMEOUTS));
        assertTrue(p.wire.runUntil(() -> p.b.state() == TcpState.CLOSED, 600_000 * MS), "peer got the RST");
    }

    private record Result(TcpPair pair, int duplicateAcksBeforeRetransmission)
    {
    }

    private static Result transferDroppingOnce(final TcpConfig config, final long oneWayNs, final int segmentIndex)
    {
        final TcpPair p = pairWithDrops(config, oneWayNs, segmentIndex);
        final int droppedSeq = FIRST_DATA_SEQ + segmentIndex * 1448;
        p.wire.bToA.logging = true;
        final List<Long> retransmits = runAndCollectRetransmissions(p, 100_000);
        assertEquals(1, retransmits.size());
        final long retransmitAt = retransmits.get(0);
        int duplicates = 0;
        for (final TestWire.Carried c : p.wire.bToA.log)
        {
            // An ACK for the dropped segment sent after it should have arrived is a duplicate.
            if (c.segment().ack() == droppedSeq && c.segment().payloadLength() == 0 &&
                c.timeNs() + oneWayNs <= retransmitAt && c.segment().sackBlockCount() + (config.sack() ? 0 : 1) > 0)
            {
                duplicates++;
            }
        }
        return new Result(p, config.sack() ? duplicates : duplicates - 1);
    }

    /** A pair whose a>b link drops the first transmission of the given data segments (by index from 0). */
    private static TcpPair pairWithDrops(final TcpConfig config, final long oneWayNs, final int... segmentIndexes)
    {
        final TcpPair p = new TcpPair(1, config);
        p.wire.each(l ->
        {
            l.delayNs = oneWayNs;
            l.bitsPerSecond = 100_000_000L;
        });
        p.wire.aToB.logging = true;
        final int mss = 1448;
        final Set<Integer> toDrop = new HashSet<>();
        for (final int i : segmentIndexes)
        {
            toDrop.add(FIRST_DATA_SEQ + i * (config.timestamps() ? mss : mss + 12));
        }
        p.wire.aToB.dropFilter = s -> s.payloadLength() > 0 && toDrop.remove(s.seq());
        p.establish(ISS, 5_000);
        return p;
    }

    private static List<Long> runAndCollectRetransmissions(final TcpPair p, final int length)
    {
        final byte[] data = TcpPair.randomBytes(7, length);
        p.appA.sending(data, true);
        assertTrue(p.wire.runUntil(p.b::isEndOfStream, 60_000 * MS), () -> p.a + " / " + p.b);
        assertArrayEquals(data, p.appB.received.toByteArray());
        final Set<Integer> seen = new HashSet<>();
        final List<Long> times = new ArrayList<>();
        for (final TestWire.Carried c : p.wire.aToB.log)
        {
            if (c.segment().payloadLength() > 0 && !seen.add(c.segment().seq()))
            {
                times.add(c.timeNs());
            }
        }
        return times;
    }
}
