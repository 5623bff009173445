package io.tlsnic.stack.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.stack.testing.TwoHosts;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpCounter;
import io.tlsnic.stack.tcp.TcpState;

class HostTest
{
    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.0.0.1>10.0.0.2", "fd00::1>fd00::2"})
    void shouldCarryDataBothWaysAsRealFramesOverTheSoftwareWire(final String pair)
    {
        final String[] ends = pair.split(">");
        final TwoHosts net = new TwoHosts(IpAddress.parse(ends[0]), IpAddress.parse(ends[1]), LinkFaults.none(), 1);
        final TcpConnection client = net.connect(443, TcpConfig.defaults());
        assertTrue(net.runUntil(() -> client.state() == TcpState.ESTABLISHED, SECOND));
        final byte[] up = bytes(1 << 20, 1);
        final byte[] down = bytes(1 << 20, 2);
        final ByteArrayOutputStream atServer = new ByteArrayOutputStream();
        final ByteArrayOutputStream atClient = new ByteArrayOutputStream();
        transfer(net, client, up, down, atServer, atClient, 30 * SECOND);
        assertArrayEquals(up, atServer.toByteArray());
        assertArrayEquals(down, atClient.toByteArray());
        assertEquals(0, net.a.counter(HostCounter.IN_CSUM_ERRORS) + net.b.counter(HostCounter.IN_CSUM_ERRORS));
    }

    @Test
    void shouldDeliverIdenticalBytesUnderSeededLossReorderingAndDuplication()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            final TwoHosts net = new TwoHosts(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2"),
                new LinkFaults(3, 1, 2, 200_000, seed), seed);
            final TcpConnection client = net.connect(8443, TcpConfig.defaults());
            assertTrue(net.runUntil(() -> client.state() == TcpState.ESTABLISHED, 60 * SECOND), "seed " + seed);
            final byte[] up = bytes(256 << 10, seed);
            final byte[] down = bytes(256 << 10, ~seed);
            final ByteArrayOutputStream atServer = new ByteArrayOutputStream();
            final ByteArrayOutputStream atClient = new ByteArrayOutputStream();
            transfer(net, client, up, down, atServer, atClient, 600 * SECOND);
            assertArrayEquals(up, atServer.toByteArray(), "seed " + seed);
            assertArrayEquals(down, atClient.toByteArray(), "seed " + seed);
            assertTrue(net.wire.framesDropped() > 0);
            assertTrue(client.counters().get(TcpCounter.RETRANS_SEGS)
                + net.server.counters().get(TcpCounter.RETRANS_SEGS) > 0, "seed " + seed);
        }
    }

    @Test
    void shouldResetAConnectionAttemptToAClosedPort()
    {
        final TwoHosts net = new TwoHosts(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2"),
            LinkFaults.none(), 3);
        final TcpConnection client = net.a.connect(net.b.address(), 9, TcpConfig.defaults());
        net.runUntil(() -> client.state() == TcpState.CLOSED, SECOND);
        assertEquals(TcpState.CLOSED, client.state());
        assertEquals(1, net.b.counter(HostCounter.OUT_RSTS));
    }

    /** Writes both payloads as fast as the connections take them and reads what arrives, on the virtual clock. */
    private static void transfer(final TwoHosts net, final TcpConnection client, final byte[] up, final byte[] down,
        final ByteArrayOutputStream atServer, final ByteArrayOutputStream atClient, final long limitNs)
    {
        final int[] sent = new int[2];
        final byte[] buf = new byte[65536];
        final boolean done = net.runUntil(() ->
        {
            sent[0] += client.send(up, sent[0], up.length - sent[0]);
            sent[1] += net.server.send(down, sent[1], down.length - sent[1]);
            int n;
            while ((n = net.server.read(buf, 0, buf.length)) > 0)
            {
                atServer.write(buf, 0, n);
            }
            while ((n = client.read(buf, 0, buf.length)) > 0)
            {
                atClient.write(buf, 0, n);
            }
            return atServer.size() == up.length && atClient.size() == down.length;
        }, limitNs);
        assertTrue(done, "transfer finished: " + atServer.size() + "/" + up.length + " up, " + atClient.size() + "/"
            + down.length + " down at " + net.scheduler.nowNs() + " ns");
    }

    private static byte[] bytes(final int n, final long seed)
    {
        final byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
