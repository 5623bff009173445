package io.tlsnic.harness.scenario;

import java.util.SplittableRandom;

import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * One TLS connection between the two hosts, kTLS on both ends with keys from a seed, sending {@code bytes} each
 * way in full-size records; the bytes are generated from a seed on both sides, so the receiver checks every byte
 * without keeping a copy.
 */
final class Flow
{
    private static final long SECOND = 1_000_000_000L;
    private static final int CHUNK = 16384;

    final KtlsSocket client;
    final KtlsSocket server;
    final TlsCounters countersA = new TlsCounters();
    final TlsCounters countersB = new TlsCounters();
    private final Direction up;
    private final Direction down;

    /** One direction's generator, writer and checker. */
    private static final class Direction
    {
        private final long total;
        private final SplittableRandom sendBytes;
        private final SplittableRandom expectBytes;
        private final byte[] chunk = new byte[CHUNK];
        private final byte[] read = new byte[65536];
        private final byte[] expected = new byte[65536];
        private long written;
        private int chunkOffset = CHUNK;
        private long received;

        Direction(final long total, final long seed)
        {
            this.total = total;
            this.sendBytes = new SplittableRandom(seed);
            this.expectBytes = new SplittableRandom(seed);
        }

        void write(final KtlsSocket socket)
        {
            while (written < total)
            {
                if (chunkOffset == CHUNK)
                {
                    sendBytes.nextBytes(chunk);
                    chunkOffset = 0;
                }
                final int n = (int)Math.min(CHUNK - chunkOffset, total - written);
                final int sent;
                try
                {
                    sent = socket.send(chunk, chunkOffset, n, Ktls.MSG_DONTWAIT);
                }
                catch (final TlsErrnoException e)
                {
                    if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOMEM)
                    {
                        return;
                    }
                    throw e;
                }
                chunkOffset += sent;
                written += sent;
                if (sent < n)
                {
                    return;
                }
            }
        }

        void read(final KtlsSocket socket)
        {
            while (received < total)
            {
                final int n;
                try
                {
                    n = socket.recv(read, 0, read.length, Ktls.MSG_DONTWAIT);
                }
                catch (final TlsErrnoException e)
                {
                    if (e.errno() == Errno.EAGAIN)
                    {
                        return;
                    }
                    throw e;
                }
                if (n <= 0)
                {
                    return;
                }
                fillExpected(n);
                if (!java.util.Arrays.equals(read, 0, n, expected, 0, n))
                {
                    throw new WrongBytesException("plaintext differs from what was sent within bytes " + received
                        + ".." + (received + n));
                }
                received += n;
            }
        }

        private final byte[] expectChunk = new byte[CHUNK];
        private int expectOffset = CHUNK;

        private void fillExpected(final int n)
        {
            int p = 0;
            while (p < n)
            {
                if (expectOffset == CHUNK)
                {
                    expectBytes.nextBytes(expectChunk);
                    expectOffset = 0;
                }
                final int take = Math.min(n - p, CHUNK - expectOffset);
                System.arraycopy(expectChunk, expectOffset, expected, p, take);
                expectOffset += take;
                p += take;
            }
        }

        boolean done()
        {
            return received == total;
        }
    }

    /** A byte the application received differs from the byte sent: the one thing that must never happen. */
    static final class WrongBytesException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        WrongBytesException(final String message)
        {
            super(message, null, false, false);
        }
    }

    Flow(final Network net, final TlsVersion version, final TlsCipher cipher, final long bytes, final long seed)
    {
        final int port = net.nextPort();
        final TcpConnection[] accepted = new TcpConnection[1];
        net.b.listen(port, TcpConfig.defaults(), c -> accepted[0] = c);
        final TcpConnection c = net.a.connect(net.b.address(), port, TcpConfig.defaults());
        if (!net.runFor(() -> c.state() == TcpState.ESTABLISHED && accepted[0] != null
            && accepted[0].state() == TcpState.ESTABLISHED, 600 * SECOND))
        {
            throw new IllegalStateException("TCP connection on port " + port + " did not establish");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final CryptoInfo upKeys = CryptoInfo.random(version, cipher, random);
        final CryptoInfo downKeys = CryptoInfo.random(version, cipher, random);
        client = new KtlsSocket(net.a.transportFor(c), countersA);
        server = new KtlsSocket(net.b.transportFor(accepted[0]), countersB);
        client.setUlp("tls");
        server.setUlp("tls");
        client.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, upKeys.toBytes());
        client.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, downKeys.toBytes());
        server.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, downKeys.toBytes());
        server.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, upKeys.toBytes());
        up = new Direction(bytes, random.nextLong());
        down = new Direction(bytes, random.nextLong());
    }

    /** One step: write what the sockets take, read and check what arrived. @return whether all arrived. */
    boolean step()
    {
        up.write(client);
        down.write(server);
        up.read(server);
        down.read(client);
        return up.done() && down.done();
    }

    long recordsDevice()
    {
        return countersA.get(TlsStat.TLS_RX_RECORD_DEVICE) + countersB.get(TlsStat.TLS_RX_RECORD_DEVICE);
    }

    long recordsMixed()
    {
        return countersA.get(TlsStat.TLS_RX_RECORD_MIXED) + countersB.get(TlsStat.TLS_RX_RECORD_MIXED);
    }

    long recordsSoftware()
    {
        return countersA.get(TlsStat.TLS_RX_RECORD_SW) + countersB.get(TlsStat.TLS_RX_RECORD_SW);
    }

}
