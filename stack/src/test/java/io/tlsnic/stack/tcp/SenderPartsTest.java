package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SenderPartsTest
{
    private static final long MS = 1_000_000L;

    @Test
    void shouldHoldBytesUntilAcknowledgedAcrossTheRingEnd()
    {
        final SendBuffer b = new SendBuffer(10, -3);
        assertEquals(8, b.append(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8));
        assertEquals(5, b.releaseTo(2));
        assertEquals(7, b.append(new byte[] {9, 10, 11, 12, 13, 14, 15, 16}, 0, 8), "ring holds 10");
        final byte[] out = new byte[6];
        b.copy(4, out, 0, 6);
        assertArrayEquals(new byte[] {8, 9, 10, 11, 12, 13}, out);
        assertEquals(12, b.tailSeq());
        assertEquals(10, b.releaseTo(13), "an ACK past the tail (FIN) releases everything");
    }

    @Test
    void shouldLendOnlyRunsThatDoNotWrapRoundTheRingEnd()
    {
        final SendBuffer b = new SendBuffer(10, 0);
        assertEquals(0, b.appendIndex(10), "an empty ring lends all of itself");
        assertEquals(-1, b.appendIndex(11));
        b.array()[0] = 1;
        b.array()[1] = 2;
        b.array()[2] = 3;
        b.appendInPlace(3);
        assertEquals(3, b.tailSeq());
        assertEquals(3, b.appendIndex(7), "the rest of the ring, up to its end");
        assertEquals(-1, b.appendIndex(8));
        assertEquals(7, b.append(new byte[] {4, 5, 6, 7, 8, 9, 10}, 0, 7));
        assertEquals(-1, b.appendIndex(1), "full");
        assertEquals(3, b.releaseTo(3));
        assertEquals(0, b.appendIndex(3), "the released bytes at the ring's start");
        assertEquals(-1, b.appendIndex(4), "only three are free");
        assertEquals(6, b.releaseTo(9));
        assertEquals(-1, b.appendIndex(10), "nine free bytes cannot hold ten");
        assertEquals(0, b.appendIndex(9), "the tail is at index 0, nine bytes before the head");
        assertEquals(1, b.releaseTo(10));
        assertEquals(0, b.appendIndex(10), "empty again, with head and tail at index 0");
    }

    @Test
    void shouldLendAHeldRunInPlaceOnlyWhenItDoesNotWrap()
    {
        final SendBuffer b = new SendBuffer(10, 100);
        b.append(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
        b.releaseTo(106);
        b.append(new byte[] {9, 10, 11, 12}, 0, 4);
        assertEquals(6, b.contiguousIndex(106, 2), "seq 106 is at index 6, bytes 7 and 8");
        assertEquals(7, b.array()[6]);
        assertEquals(8, b.contiguousIndex(108, 2), "9 and 10 fill the ring's end");
        assertEquals(-1, b.contiguousIndex(108, 3), "11 wrapped to index 0");
        assertEquals(0, b.contiguousIndex(110, 2));
    }

    @Test
    void shouldComputeRtoAsRfc6298AndBackOff()
    {
        final RtoEstimator rto = new RtoEstimator(1000 * MS, 200 * MS, 60_000 * MS, MS);
        assertEquals(1000 * MS, rto.rtoNs());

        rto.onSample(100 * MS);
        assertEquals(100 * MS, rto.srttNs());
        assertEquals(50 * MS, rto.rttvarNs());
        assertEquals(300 * MS, rto.rtoNs(), "SRTT + 4 RTTVAR");

        rto.onSample(200 * MS);
        assertEquals((3 * 50 * MS + 100 * MS) / 4, rto.rttvarNs());
        assertEquals((7 * 100 * MS + 200 * MS) / 8, rto.srttNs());

        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        rto.onSample(10 * MS);
        assertEquals(200 * MS, rto.rtoNs(), "bounded below by the minimum");
        rto.backOff();
        rto.backOff();
        assertEquals(800 * MS, rto.rtoNs());
        for (int i = 0; i < 40; i++)
        {
            rto.backOff();
        }
        assertEquals(60_000 * MS, rto.rtoNs(), "bounded above by the maximum");
    }

    @Test
    void shouldMergeSackBlocksAndFindLostBytes()
    {
        final SackScoreboard s = new SackScoreboard();
        final TcpSegment ack = TcpSegment.builder().ack(1000).flags(TcpSegment.ACK)
            .sackBlocks(new int[] {3000, 4000, 1500, 2000, 2000, 2500}).build();
        assertEquals(0, s.update(ack, 1000, 1000, 10_000));
        assertEquals(2000, s.sackedBytes(1000, 10_000));
        assertEquals(4000, s.highestSackedEnd());
        assertEquals(2500, s.skipSacked(1500));
        assertEquals(3000, s.nextSackedStart(2500, 9000));
        assertEquals(1000, s.unsackedBytes(1000, 4000));
        assertEquals(3000, s.lostBoundary(999, 1000), "more than 999 bytes SACKed above every byte below 3000");
        assertEquals(1500, s.lostBoundary(1000, 1000), "the hole at 2500 has only 1000 bytes SACKed above");
        assertEquals(1000, s.lostBoundary(2000, 1000), "nothing lost");

        final TcpSegment dsack = TcpSegment.builder().ack(1800).flags(TcpSegment.ACK)
            .sackBlocks(new int[] {1000, 1100, 3000, 4000}).build();
        assertEquals(1, s.update(dsack, 1800, 1800, 10_000), "first block below the ACK is a D-SACK");
        s.discardBelow(1800);
        assertEquals(1700, s.sackedBytes(0, 10_000));
    }

    @Test
    void shouldGrowInSlowStartThenAvoidanceAndHalveOnLoss()
    {
        final NewReno cc = new NewReno();
        cc.init(1000, 10_000);
        cc.onAck(3000, 10_000);
        assertEquals(12_000, cc.cwnd(), "slow start: at most 2 SMSS per ACK");
        cc.onAck(1000, 2_000);
        assertEquals(12_000, cc.cwnd(), "no growth while the window is not the limit");

        cc.onEnterRecovery(12_000);
        assertEquals(6_000, cc.ssthresh());
        assertEquals(6_000, cc.cwnd());
        cc.onExitRecovery(3_000);
        assertEquals(4_000, cc.cwnd(), "min(ssthresh, FlightSize + SMSS)");
        cc.onAck(4_000, 4_000);
        assertEquals(6_000, cc.cwnd(), "slow start again below ssthresh");
        cc.onAck(3_000, 6_000);
        cc.onAck(3_000, 6_000);
        assertEquals(7_000, cc.cwnd(), "avoidance: one SMSS per cwnd of ACKed bytes");

        cc.onRetransmitTimeout(1_000);
        assertEquals(2_000, cc.ssthresh(), "at least 2 SMSS");
        assertEquals(1_000, cc.cwnd(), "loss window");
    }
}
