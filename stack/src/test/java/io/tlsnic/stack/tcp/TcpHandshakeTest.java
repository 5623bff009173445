package io.tlsnic.stack.tcp;

import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpHandshakeTest
{
    @Test
    void shouldNegotiateMssWindowScaleSackAndTimestampsWhenBothOffer()
    {
        final TcpConfig client = TcpConfig.builder().mss(1460).receiveBufferCapacity(1 << 20).build();
        final TcpConfig server = TcpConfig.builder().mss(1200).receiveBufferCapacity(256 * 1024).build();
        final TcpPair p = new TcpPair(1, client, server);
        p.wire.each(l -> l.logging = true);

        p.establish(100, 200);

        final TcpSegment syn = p.wire.aToB.log.get(0).segment();
        assertTrue(syn.has(TcpSegment.SYN) && !syn.has(TcpSegment.ACK));
        assertEquals(1460, syn.mss());
        assertEquals(5, syn.windowScale(), "1 MiB needs a shift of 5 to fit 16 bits");
        assertTrue(syn.sackPermitted() && syn.hasTimestamps());
        assertEquals(0xFFFF, syn.window(), "SYN window is never scaled");
        final TcpSegment synAck = p.wire.bToA.log.get(0).segment();
        assertTrue(synAck.has(TcpSegment.SYN | TcpSegment.ACK));
        assertEquals(101, synAck.ack());
        assertEquals(1200, synAck.mss());
        assertEquals(3, synAck.windowScale(), "256 KiB needs a shift of 3");
        assertEquals(syn.tsVal(), synAck.tsEcr());

        assertEquals(new NegotiatedOptions(1200, 3, 5, true, true), p.a.options());
        assertEquals(new NegotiatedOptions(1200, 5, 3, true, true), p.b.options());
        assertEquals(1188, p.a.effectiveMss(), "MSS less 12 bytes of timestamps option");
        assertEquals(TcpState.ESTABLISHED, p.a.state());
        assertEquals(TcpState.ESTABLISHED, p.b.state());
        assertEquals(101, p.a.writeSeq());
        assertEquals(201, p.a.rcvNxt());
        assertEquals(1, p.a.counters().get(TcpCounter.ACTIVE_OPENS));
        assertEquals(1, p.b.counters().get(TcpCounter.PASSIVE_OPENS));
    }

    @Test
    void shouldLeaveOutOptionsThePeerDidNotOffer()
    {
        final TcpConfig plain = TcpConfig.builder().sack(false).timestamps(false).windowScaling(false).build();
        final TcpPair p = new TcpPair(1, TcpConfig.defaults(), plain);
        p.wire.each(l -> l.logging = true);

        p.establish(100, 200);

        final TcpSegment synAck = p.wire.bToA.log.get(0).segment();
        assertEquals(-1, synAck.windowScale());
        assertFalse(synAck.sackPermitted());
        assertFalse(synAck.hasTimestamps());
        assertEquals(new NegotiatedOptions(1460, 0, 0, false, false), p.a.options());
        assertEquals(1460, p.a.effectiveMss());
        for (final TestWire.Carried c : p.wire.aToB.log.subList(1, p.wire.aToB.log.size()))
        {
            assertFalse(c.segment().hasTimestamps(), "no timestamps after the SYN: " + c.segment());
        }
    }

    @Test
    void shouldAssumeMss536WhenTheSynCarriesNone()
    {
        final EventScheduler scheduler = new EventScheduler(new VirtualClock());
        final List<TcpSegment> out = new ArrayList<>();
        final TcpConnection server = new TcpConnection(TcpConfig.defaults(), 443, 5555, scheduler, out::add);
        server.listen(7);

        server.onSegment(TcpSegment.builder().ports(5555, 443).seq(1000).flags(TcpSegment.SYN).window(8192).build());

        assertEquals(TcpState.SYN_RECEIVED, server.state());
        assertEquals(536, server.options().sendMss());
        assertEquals(1, out.size());
        assertTrue(out.get(0).has(TcpSegment.SYN | TcpSegment.ACK));
        assertEquals(1001, out.get(0).ack());
    }

    @Test
    void shouldRetransmitALostSynAfterTheInitialRto()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults());
        final int[] syns = {0};
        p.wire.aToB.dropFilter = s -> s.has(TcpSegment.SYN) && syns[0]++ == 0;

        p.establish(100, 200);

        assertEquals(1, p.a.counters().get(TcpCounter.RETRANS_SEGS));
        assertEquals(1000 * TestWire.MS + 3 * TestWire.MS, p.wire.nowNs(), "initial RTO 1 s + three 1 ms hops");
        assertEquals(200 * TestWire.MS, p.a.rtoNs(), "the SYN-ACK's timestamp echo gave an RTT sample");
    }

    @Test
    void shouldStartDataWithA3SecondRtoAfterASynTimeoutWithoutTimestamps()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.builder().timestamps(false).build());
        final int[] syns = {0};
        p.wire.aToB.dropFilter = s -> s.has(TcpSegment.SYN) && syns[0]++ == 0;

        p.establish(100, 200);

        assertEquals(3000 * TestWire.MS, p.a.rtoNs(), "RFC 6298 section 5.7: no valid sample (Karn), so 3 s");
        assertEquals(200 * TestWire.MS, p.b.rtoNs(), "the passive side timed its SYN-ACK");
    }

    @Test
    void shouldCompleteWhenTheSynAckIsLost()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults());
        final int[] synAcks = {0};
        p.wire.bToA.dropFilter = s -> s.has(TcpSegment.SYN) && synAcks[0]++ == 0;

        p.establish(100, 200);

        assertEquals(TcpState.ESTABLISHED, p.a.state());
        assertEquals(TcpState.ESTABLISHED, p.b.state());
    }

    @Test
    void shouldStartEstablishedFromGivenIsnsAndOptionsForReplay()
    {
        final TestWire wire = new TestWire(3);
        final NegotiatedOptions options = new NegotiatedOptions(1460, 7, 7, true, true);
        final TcpConnection a = TcpConnection.established(TcpConfig.defaults(), 40000, 443, wire.scheduler,
            wire.aToB, 0x1234, 0x9876, options, 65535 << 7);
        final TcpConnection b = TcpConnection.established(TcpConfig.defaults(), 443, 40000, wire.scheduler,
            wire.bToA, 0x9876, 0x1234, options, 65535 << 7);
        wire.attach(a, b);
        final TestEndpoint appA = new TestEndpoint(wire, a);
        final TestEndpoint appB = new TestEndpoint(wire, b);
        final byte[] data = TcpPair.randomBytes(5, 100_000);

        assertEquals(TcpState.ESTABLISHED, a.state());
        assertEquals(0x1235, a.writeSeq());
        assertEquals(0x9877, a.rcvNxt());
        appA.sending(data, true);
        assertTrue(wire.runUntil(() -> b.isEndOfStream() && a.state() == TcpState.FIN_WAIT_2, 60_000 * TestWire.MS));

        assertArrayEquals(data, appB.received.toByteArray());
        assertEquals(0x1235 + data.length + 1, a.sndUna());
    }

    @Test
    void shouldAnswerASegmentForAClosedConnectionWithReset()
    {
        final EventScheduler scheduler = new EventScheduler(new VirtualClock());
        final List<TcpSegment> out = new ArrayList<>();
        final TcpConnection closed = new TcpConnection(TcpConfig.defaults(), 443, 5555, scheduler, out::add);

        closed.onSegment(TcpSegment.builder().ports(5555, 443).seq(1000).ack(77).flags(TcpSegment.ACK).build());
        closed.onSegment(TcpSegment.builder().ports(5555, 443).seq(1000).flags(TcpSegment.SYN).build());

        assertEquals(2, out.size());
        assertTrue(out.get(0).has(TcpSegment.RST));
        assertEquals(77, out.get(0).seq(), "RST takes its seq from the ACK field");
        assertTrue(out.get(1).has(TcpSegment.RST | TcpSegment.ACK));
        assertEquals(1001, out.get(1).ack(), "RST acknowledges the SYN");
        assertEquals(2, closed.counters().get(TcpCounter.OUT_RSTS));
    }

    @Test
    void shouldReportConnectionRefusedWhenTheSynIsAnsweredWithReset()
    {
        final TcpPair p = new TcpPair(1, TcpConfig.defaults());
        p.a.connect(100);

        assertTrue(p.wire.runUntil(() -> p.appA.closed, 10_000 * TestWire.MS));

        assertTrue(p.appA.closedByReset);
        assertEquals(TcpState.CLOSED, p.a.state());
        assertEquals(1, p.b.counters().get(TcpCounter.OUT_RSTS));
    }
}
