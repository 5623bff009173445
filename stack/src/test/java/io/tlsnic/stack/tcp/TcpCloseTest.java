package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpCloseTest
{
    private static final long MS = TestWire.MS;

    @Test
    void shouldKeepReceivingAfterHalfCloseUntilThePeerCloses()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults()).establish(10, 20);
        final byte[] fromA = TcpPair.randomBytes(1, 10_000);
        final byte[] fromB = TcpPair.randomBytes(2, 300_000);
        p.appA.sending(fromA, true);

        assertTrue(p.wire.runUntil(() -> p.b.isEndOfStream() && p.a.state() != TcpState.FIN_WAIT_1, 10_000 * MS));
        assertEquals(TcpState.FIN_WAIT_2, p.a.state());
        assertEquals(TcpState.CLOSE_WAIT, p.b.state());
        assertArrayEquals(fromA, p.appB.received.toByteArray());

        p.appB.sending(fromB, true);
        assertTrue(p.wire.runUntil(() -> p.a.state() == TcpState.TIME_WAIT, 10_000 * MS));
        assertArrayEquals(fromB, p.appA.received.toByteArray(), "the half-closed side still receives");
        assertTrue(p.a.isEndOfStream());

        assertTrue(p.wire.runUntil(() -> p.b.state() == TcpState.CLOSED, 10_000 * MS), "LAST_ACK ends on the ACK");
        final long timeWaitStart = p.wire.nowNs();
        assertTrue(p.wire.runUntil(() -> p.a.state() == TcpState.CLOSED, 100_000 * MS));
        assertTrue(p.wire.nowNs() - timeWaitStart <= 60_000 * MS, "TIME_WAIT is 60 virtual seconds");
        assertTrue(p.appA.closed && !p.appA.closedByReset);
        assertTrue(p.appB.closed && !p.appB.closedByReset);
    }

    @Test
    void shouldCloseFromBothSidesAtOnceThroughClosing()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults()).establish(10, 20);
        final List<TcpState> statesOfA = new ArrayList<>();
        p.a.close();
        p.b.close();
        statesOfA.add(p.a.state());

        assertTrue(p.wire.runUntil(() ->
        {
            if (statesOfA.get(statesOfA.size() - 1) != p.a.state())
            {
                statesOfA.add(p.a.state());
            }
            return p.a.state() == TcpState.CLOSED && p.b.state() == TcpState.CLOSED;
        }, 100_000 * MS));

        assertEquals(List.of(TcpState.FIN_WAIT_1, TcpState.CLOSING, TcpState.TIME_WAIT, TcpState.CLOSED), statesOfA);
    }

    @Test
    void shouldRetransmitALostFin()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults()).establish(10, 20);
        final int[] fins = {0};
        p.wire.aToB.dropFilter = s -> s.has(TcpSegment.FIN) && fins[0]++ == 0;
        p.appA.sending(new byte[5000], true);

        assertTrue(p.wire.runUntil(p.b::isEndOfStream, 10_000 * MS));

        assertEquals(2, fins[0]);
        assertEquals(1, p.a.counters().get(TcpCounter.TIMEOUTS));
    }

    @Test
    void shouldResetThePeerOnAbort()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults()).establish(10, 20);
        p.appA.sending(new byte[50_000], false);
        p.wire.runFor(3 * MS);

        p.a.abort();

        assertEquals(TcpState.CLOSED, p.a.state());
        assertTrue(p.appA.closedByReset);
        assertTrue(p.wire.runUntil(() -> p.appB.closed, 10_000 * MS));
        assertTrue(p.appB.closedByReset);
        assertEquals(1, p.b.counters().get(TcpCounter.ESTAB_RESETS));
        assertTrue(p.a.counters().get(TcpCounter.OUT_RSTS) >= 1, "one for the abort, one per late segment after");
    }

    @Test
    void shouldAnswerAnInWindowResetWithTheWrongSequenceWithAChallengeAck()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults()).establish(10, 20);
        p.wire.bToA.logging = true;
        final int before = p.wire.bToA.log.size();

        p.b.onSegment(TcpSegment.builder().ports(40000, 443).seq(p.b.rcvNxt() + 100).flags(TcpSegment.RST).build());

        assertEquals(TcpState.ESTABLISHED, p.b.state());
        assertEquals(before + 1, p.wire.bToA.log.size());
        final TcpSegment challenge = p.wire.bToA.log.get(before).segment();
        assertTrue(challenge.has(TcpSegment.ACK) && !challenge.has(TcpSegment.RST));
        assertEquals(p.b.rcvNxt(), challenge.ack());
    }

    @Test
    void shouldRefuseToSendAfterClose()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults()).establish(10, 20);
        p.a.close();

        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.a.send(new byte[1], 0, 1));
        assertTrue(e.getMessage().contains("FIN_WAIT_1"), e.getMessage());
        assertFalse(p.a.isEndOfStream());
    }
}
