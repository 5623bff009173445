package io.tlsnic.harness.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import io.tlsnic.stack.net.Host;
import io.tlsnic.stack.net.IpAddress;
import io.tlsnic.stack.net.SoftwareDevice;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.TcpConnectionTransport;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/**
 * Two hosts on a software wire (deterministic virtual clock), one TCP connection between them and a kTLS socket on
 * each end, not yet configured: the ground a TLS handshake runs on.
 */
final class TlsPair
{
    static final long SECOND = 1_000_000_000L;

    final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    final TcpConnection clientConnection;
    TcpConnection serverConnection;
    final KtlsSocket clientSocket;
    final KtlsSocket serverSocket;
    final TlsCounters counters = new TlsCounters();
    final Link wire;

    TlsPair(final LinkFaults faults, final long seed)
    {
        final SoftwareDevice devA = new SoftwareDevice("a0");
        final SoftwareDevice devB = new SoftwareDevice("b0");
        wire = new Link(scheduler, devA, devB, 20_000, 10, faults);
        final IpAddress addrA = IpAddress.parse("10.2.0.1");
        final IpAddress addrB = IpAddress.parse("10.2.0.2");
        final Host a = new Host("a", addrA, 0x02_00_00_00_00_0AL, devA, scheduler, seed);
        final Host b = new Host("b", addrB, 0x02_00_00_00_00_0BL, devB, scheduler, seed + 1);
        a.addNeighbour(addrB, 0x02_00_00_00_00_0BL);
        b.addNeighbour(addrA, 0x02_00_00_00_00_0AL);
        b.listen(443, TcpConfig.defaults(), c -> serverConnection = c);
        clientConnection = a.connect(addrB, 443, TcpConfig.defaults());
        assertTrue(runUntil(() -> clientConnection.state() == TcpState.ESTABLISHED && serverConnection != null
            && serverConnection.state() == TcpState.ESTABLISHED, 600 * SECOND), "TCP handshake, seed " + seed);
        clientSocket = new KtlsSocket(new TcpConnectionTransport(clientConnection), counters);
        serverSocket = new KtlsSocket(new TcpConnectionTransport(serverConnection), counters);
    }

    /** Runs timers until {@code done} or virtual time passes {@code limitNs}. */
    boolean runUntil(final BooleanSupplier done, final long limitNs)
    {
        while (!done.getAsBoolean())
        {
            if (scheduler.nowNs() > limitNs || !scheduler.advanceToNext())
            {
                return done.getAsBoolean();
            }
        }
        return true;
    }

    /** Drives both sides until both are done (completed or failed). */
    boolean handshake(final TlsHandshake client, final TlsHandshake server, final long limitNs)
    {
        return runUntil(() ->
        {
            client.doWork();
            server.doWork();
            return client.isDone() && server.isDone();
        }, limitNs);
    }

    /** Starts both sides with the test certificate, the client trusting it. */
    TlsHandshake[] start(final HandshakeOptions clientOptions, final HandshakeOptions serverOptions)
    {
        return new TlsHandshake[] {
            TlsHandshake.client(clientSocket, clientOptions, TlsHandshakeTest.CERTIFICATE.sha256Fingerprint()),
            TlsHandshake.server(serverSocket, serverOptions, TlsHandshakeTest.CERTIFICATE)};
    }

    /** @return the bytes waiting in a connection's receive queue, not consumed. */
    static byte[] peekQueue(final TcpConnection c)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        c.forEachReadableChunk((seq, data, offset, length, mark) ->
        {
            out.write(data, offset, length);
            return true;
        });
        return out.toByteArray();
    }

    /** @return whether every byte this side's TCP sent was acknowledged (so it sits in the peer's queue). */
    static boolean allAcked(final TcpConnection c)
    {
        return c.sendBufferLength() == 0 && c.sndUna() == c.sndMax();
    }

    /**
     * Sends {@code up} bytes client to server and {@code down} bytes back at the same time, pseudo-random sizes of
     * writes, every byte checked; {@code midway} is called once half of each way has been written, and again on
     * each step until it returns true (a socket may have no room for it at first); the second halves are written
     * after it.
     */
    void transfer(final KtlsSession client, final KtlsSession server, final int up, final int down, final long seed,
        final BooleanSupplier midway)
    {
        final Stream upStream = new Stream(up, seed * 2 + 1);
        final Stream downStream = new Stream(down, seed * 2 + 2);
        final boolean[] midwayDone = {midway == null};
        final boolean done = runUntil(() ->
        {
            // Until the midway action is done, each way stops at its half: the action lands mid-stream.
            upStream.write(client, midwayDone[0] ? up : up / 2);
            downStream.write(server, midwayDone[0] ? down : down / 2);
            if (!midwayDone[0] && upStream.written >= up / 2 && downStream.written >= down / 2)
            {
                midwayDone[0] = midway.getAsBoolean();
            }
            upStream.read(server);
            downStream.read(client);
            final boolean clientOwesNothing = client.sendOwedKeyUpdate();
            final boolean serverOwesNothing = server.sendOwedKeyUpdate();
            return upStream.complete() && downStream.complete() && clientOwesNothing && serverOwesNothing;
        }, scheduler.nowNs() + 600 * SECOND);
        assertTrue(done, "transfer done: up " + upStream.read + "/" + up + ", down " + downStream.read + "/" + down);
        assertTrue(midwayDone[0], "midway action ran");
    }

    /** One direction of application traffic with the expected bytes. */
    static final class Stream
    {
        final byte[] data;
        final SplittableRandom random;
        final byte[] buffer = new byte[70_000];
        int written;
        int read;

        Stream(final int length, final long seed)
        {
            random = new SplittableRandom(seed);
            data = new byte[length];
            random.nextBytes(data);
        }

        void write(final KtlsSession session, final int limit)
        {
            while (written < limit)
            {
                final int size = Math.min(limit - written, 1 + random.nextInt(random.nextBoolean() ? 100 : 40_000));
                final int n = session.send(data, written, size);
                if (n == 0)
                {
                    return;
                }
                written += n;
            }
        }

        void read(final KtlsSession session)
        {
            try
            {
                while (read < data.length)
                {
                    final int n = session.recv(buffer, 0, buffer.length);
                    if (n <= 0)
                    {
                        return;
                    }
                    assertTrue(read + n <= data.length, "more bytes than were written");
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, read, read + n),
                        java.util.Arrays.copyOf(buffer, n), "plaintext at bytes " + read + ".." + (read + n));
                    read += n;
                }
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }

        boolean complete()
        {
            return read == data.length;
        }
    }
}
