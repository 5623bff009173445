package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpTransferTest
{
    private static final long LIMIT_NS = 3_600_000 * TestWire.MS;

    @Test
    void shouldTransferOneMebibyteEachWayByteIdenticalWithoutLoss()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults()).establish(1000, 2000);
        final byte[] ab = TcpPair.randomBytes(11, 1 << 20);
        final byte[] ba = TcpPair.randomBytes(12, 1 << 20);
        p.appA.sending(ab, true);
        p.appB.sending(ba, true);

        assertTrue(p.wire.runUntil(() -> p.a.state() == TcpState.CLOSED && p.b.state() == TcpState.CLOSED,
            LIMIT_NS), () -> p.a + " / " + p.b);

        assertArrayEquals(ab, p.appB.received.toByteArray());
        assertArrayEquals(ba, p.appA.received.toByteArray());
        assertEquals(0, p.a.counters().get(TcpCounter.RETRANS_SEGS));
        assertEquals(0, p.b.counters().get(TcpCounter.RETRANS_SEGS));
        assertTrue(p.a.isEndOfStream() && p.b.isEndOfStream());
    }

    @Test
    void shouldTransferAcrossSequenceNumberWrap()
    {
        final int nearWrap = (int)(0xFFFF_FFFFL - 100_000);
        final TcpPair p = new TcpPair(2, TcpConfig.defaults()).establish(nearWrap, nearWrap - 5);
        final byte[] ab = TcpPair.randomBytes(21, 1 << 20);
        final byte[] ba = TcpPair.randomBytes(22, 300_000);
        p.wire.each(l -> l.lossRate = 0.01);
        p.appA.sending(ab, true);
        p.appB.sending(ba, true);

        assertTrue(p.wire.runUntil(() -> p.a.state() == TcpState.CLOSED && p.b.state() == TcpState.CLOSED,
            LIMIT_NS), () -> p.a + " / " + p.b);

        assertArrayEquals(ab, p.appB.received.toByteArray());
        assertArrayEquals(ba, p.appA.received.toByteArray());
        assertEquals(nearWrap + 1 + ab.length + 1, p.a.sndUna(), "SND.UNA after the FIN, wrapped");
        assertTrue(Seq.toUnsigned(p.a.sndUna()) < 1_000_000, "sequence space wrapped");
    }

    @ParameterizedTest(name = "loss {0}, burst {1}, reorder {2}, duplicate {3}, sack {4}")
    @CsvSource({
        "0.01, 0,    0.05, 0.01, true",
        "0.05, 0,    0.05, 0.01, true",
        "0.20, 0,    0.05, 0.01, true",
        "0.01, 0.01, 0.05, 0.01, true",
        "0.05, 0,    0.05, 0.01, false",
        "0.20, 0,    0.05, 0.01, false",
    })
    void shouldDeliverByteIdenticalDataUnderFaultsForManySeeds(final double loss, final double burst,
        final double reorder, final double duplicate, final boolean sack)
    {
        final TcpConfig config = TcpConfig.builder().sack(sack).build();
        final byte[] data = TcpPair.randomBytes(99, 256 * 1024);
        long retransmissions = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            final TcpPair p = new TcpPair(seed, config);
            p.wire.each(l ->
            {
                l.logging = true;
                l.lossRate = loss;
                l.reorderRate = reorder;
                l.reorderDelayNs = 3 * TestWire.MS;
                l.duplicateRate = duplicate;
                l.bitsPerSecond = 100_000_000L;
                if (burst > 0)
                {
                    l.burstEnterRate = burst;
                    l.burstExitRate = 0.3;
                    l.burstLossRate = 0.8;
                }
            });
            p.open(seed * 7919, -seed * 104729);
            p.appA.sending(data, true);
            final int s = seed;
            final boolean done = p.wire.runUntil(() -> p.appB.receivedLength() == data.length &&
                p.b.isEndOfStream(), LIMIT_NS);
            assertTrue(done, () -> "seed " + s + ": " + p.a + " " + p.a.counters() + " / " + p.b + " " +
                p.b.counters());
            assertArrayEquals(data, p.appB.received.toByteArray(), "seed " + s);
            final boolean dataDropped = p.wire.aToB.log.stream().anyMatch(c -> c.dropped() &&
                c.segment().payloadLength() > 0);
            final long retrans = p.a.counters().get(TcpCounter.RETRANS_SEGS);
            assertTrue(!dataDropped || retrans > 0, "seed " + s + ": data was dropped but nothing retransmitted");
            retransmissions += retrans;
        }
        assertTrue(retransmissions > 0);
    }

    @Test
    void shouldDeliverBothWaysUnderFaultsAcrossOptionCombinations()
    {
        final byte[] ab = TcpPair.randomBytes(1, 150_000);
        final byte[] ba = TcpPair.randomBytes(2, 120_000);
        final double[] losses = {0.0, 0.02, 0.1, 0.2};
        for (int variant = 0; variant < 16; variant++)
        {
            final boolean small = (variant & 4) != 0;
            final TcpConfig config = TcpConfig.builder().sack((variant & 1) != 0).tso((variant & 2) != 0)
                .timestamps((variant & 8) == 0).receiveBufferCapacity(small ? 20_000 : 256 * 1024)
                .sendBufferCapacity(small ? 30_000 : 256 * 1024).build();
            for (int seed = 0; seed < 100; seed++)
            {
                final double loss = losses[seed % losses.length];
                final TcpPair p = new TcpPair(seed * 31L + variant, config);
                p.wire.each(l ->
                {
                    l.lossRate = loss;
                    l.reorderRate = 0.1;
                    l.reorderDelayNs = 2 * TestWire.MS;
                    l.duplicateRate = 0.05;
                    l.bitsPerSecond = 50_000_000L;
                    l.device = TestWire::splitTso;
                });
                p.open(seed * 0x7654321, ~seed * 0x1234567);
                p.appA.sending(ab, true);
                p.appB.sending(ba, true);
                final String what = "variant " + variant + " seed " + seed;

                assertTrue(p.wire.runUntil(() -> p.a.state() == TcpState.CLOSED && p.b.state() == TcpState.CLOSED,
                    LIMIT_NS), () -> what + ": " + p.a + " " + p.a.counters() + " / " + p.b + " " + p.b.counters());

                assertArrayEquals(ab, p.appB.received.toByteArray(), what);
                assertArrayEquals(ba, p.appA.received.toByteArray(), what);
                // Only under heavy loss may a retransmitted FIN outlive the peer's TIME_WAIT and meet a RST.
                assertTrue(loss >= 0.2 || !p.appA.closedByReset && !p.appB.closedByReset, what);
            }
        }
    }
}
