package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.stack.net.IpAddress;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpCounter;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.testing.AppTraffic;
import io.tlsnic.stack.testing.TwoHosts;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * kTLS sockets on the TCP model, two hosts joined by the software wire (deterministic mode): large transfers both
 * ways with a mixed application pattern, clean and under seeded loss, reordering and duplication.
 */
class KtlsOverTcpTest
{
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    static Stream<Arguments> matrix()
    {
        return Stream.of(TlsVersion.values()).flatMap(v -> Stream.of(
            TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256, TlsCipher.CHACHA20_POLY1305).map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void shouldTransfer64MiBEachWayWithIdenticalPlaintext(final TlsVersion v, final TlsCipher c) throws IOException
    {
        final Run run = new Run(v, c, LinkFaults.none(), 64 << 20, v.code() * 64L + c.id(), dir);
        run.transfer(120 * SECOND);
    }

    static Stream<Arguments> lossSettings()
    {
        return Stream.of(Arguments.of(1.0), Arguments.of(5.0), Arguments.of(20.0));
    }

    @ParameterizedTest(name = "loss {0}%")
    @MethodSource("lossSettings")
    void shouldDeliverIdenticalPlaintextFor200SeedsUnderLossReorderingAndDuplication(final double loss)
        throws IOException
    {
        final TlsVersion[] versions = TlsVersion.values();
        final TlsCipher[] ciphers = {TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256, TlsCipher.CHACHA20_POLY1305};
        long retransmissions = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            final LinkFaults faults = new LinkFaults(loss, 1, 2, 300_000, seed);
            final Run run = new Run(versions[seed % 2], ciphers[(seed / 2) % 3], faults, 48 << 10, seed, dir);
            run.transfer(3600 * SECOND);
            retransmissions += run.client.counters().get(TcpCounter.RETRANS_SEGS)
                + run.net.server.counters().get(TcpCounter.RETRANS_SEGS);
        }
        assertTrue(retransmissions > 200, "TCP retransmissions over 200 seeds: " + retransmissions);
    }

    /** Two hosts, a TCP connection, kTLS on both ends, traffic both ways. */
    static final class Run
    {
        final TwoHosts net;
        final TcpConnection client;
        final KtlsSocket clientSocket;
        final KtlsSocket serverSocket;
        final AppTraffic up;
        final AppTraffic down;
        final TlsCounters counters = new TlsCounters();

        Run(final TlsVersion v, final TlsCipher c, final LinkFaults faults, final int bytes, final long seed,
            final Path dir) throws IOException
        {
            net = new TwoHosts(IpAddress.parse("10.1.0.1"), IpAddress.parse("10.1.0.2"), faults, seed);
            client = net.connect(443, TcpConfig.defaults());
            assertTrue(net.runUntil(() -> client.state() == TcpState.ESTABLISHED && net.server != null
                && net.server.state() == TcpState.ESTABLISHED, 600 * SECOND), "handshake, seed " + seed);
            final SplittableRandom random = new SplittableRandom(seed);
            final CryptoInfo upKeys = CryptoInfo.random(v, c, random);
            final CryptoInfo downKeys = CryptoInfo.random(v, c, random);
            clientSocket = new KtlsSocket(new TcpConnectionTransport(client), counters);
            serverSocket = new KtlsSocket(new TcpConnectionTransport(net.server), counters);
            clientSocket.setUlp("tls");
            serverSocket.setUlp("tls");
            clientSocket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, upKeys.toBytes());
            clientSocket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, downKeys.toBytes());
            serverSocket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, downKeys.toBytes());
            serverSocket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, upKeys.toBytes());
            up = new AppTraffic(bytes, seed * 2 + 1, dir);
            down = new AppTraffic(bytes, seed * 2 + 2, dir);
        }

        void transfer(final long limitNs) throws IOException
        {
            final IOException[] failure = new IOException[1];
            final boolean done = net.runUntil(() ->
            {
                try
                {
                    up.write(clientSocket);
                    down.write(serverSocket);
                }
                catch (final IOException e)
                {
                    failure[0] = e;
                    return true;
                }
                up.read(serverSocket);
                down.read(clientSocket);
                return up.allReceived() && down.allReceived();
            }, limitNs);
            up.close();
            down.close();
            if (failure[0] != null)
            {
                throw failure[0];
            }
            assertTrue(done, "transfer done: up " + up.received() + "/" + up.length() + ", down " + down.received()
                + "/" + down.length() + " at " + net.scheduler.nowNs() + " ns");
        }

    }
}
