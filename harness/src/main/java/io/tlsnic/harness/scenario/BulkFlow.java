package io.tlsnic.harness.scenario;

import java.util.SplittableRandom;

import io.tlsnic.stack.net.Host;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * One established TCP connection between the two hosts with kTLS on both ends (keys from a seed), carrying
 * {@code bytes} of {@link PatternData} each way in full-size records: each step writes what the sockets take and
 * reads and checks what arrived. Every byte is compared; a wrong one throws {@link Flow.WrongBytesException}.
 */
final class BulkFlow
{
    /** Bytes per send: one full TLS record. */
    static final int RECORD_LENGTH = 16384;

    final TlsCounters countersA = new TlsCounters();
    final TlsCounters countersB = new TlsCounters();
    private final KtlsSocket client;
    private final KtlsSocket server;
    private final PatternData data;
    private final Direction up;
    private final Direction down;
    private final byte[] read = new byte[PatternData.MAX_RUN];

    /** One direction's progress and the shift of its bytes in the pattern. */
    private static final class Direction
    {
        final long total;
        final int shift;
        long written;
        long received;

        Direction(final long total, final int shift)
        {
            this.total = total;
            this.shift = shift;
        }
    }

    /**
     * Sets kTLS TX and RX on both ends (offloaded when the hosts' devices offload).
     *
     * @param a the client's host.
     * @param clientConnection the client's connection, ESTABLISHED.
     * @param b the server's host.
     * @param serverConnection the server's connection, ESTABLISHED.
     * @param data the pattern both directions carry.
     * @param version TLS version.
     * @param cipher cipher.
     * @param bytes bytes each way.
     * @param seed seed of the keys and of each direction's shift.
     */
    BulkFlow(final Host a, final TcpConnection clientConnection, final Host b, final TcpConnection serverConnection,
        final PatternData data, final TlsVersion version, final TlsCipher cipher, final long bytes, final long seed)
    {
        this.data = data;
        final SplittableRandom random = new SplittableRandom(seed);
        final CryptoInfo upKeys = CryptoInfo.random(version, cipher, random);
        final CryptoInfo downKeys = CryptoInfo.random(version, cipher, random);
        client = new KtlsSocket(a.transportFor(clientConnection), countersA);
        server = new KtlsSocket(b.transportFor(serverConnection), countersB);
        client.setUlp("tls");
        server.setUlp("tls");
        client.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, upKeys.toBytes());
        client.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, downKeys.toBytes());
        server.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, downKeys.toBytes());
        server.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, upKeys.toBytes());
        up = new Direction(bytes, random.nextInt(PatternData.PERIOD));
        down = new Direction(bytes, random.nextInt(PatternData.PERIOD));
    }

    /**
     * Writes what the sockets take, reads and checks what arrived.
     *
     * @return bytes written and read in this step (0: nothing moved).
     */
    int step()
    {
        return write(client, up) + write(server, down) + read(server, up) + read(client, down);
    }

    /** @return whether every byte arrived both ways. */
    boolean done()
    {
        return up.received == up.total && down.received == down.total;
    }

    /** @return whether TX of both ends runs on the device. */
    boolean txOffloaded()
    {
        return client.txOffloaded() && server.txOffloaded();
    }

    /** @return whether RX of either end runs on the device. */
    boolean anyRxOffloaded()
    {
        return client.rxOffloaded() || server.rxOffloaded();
    }

    /** @return bytes written and received each way. */
    @Override
    public String toString()
    {
        return "up " + up.written + " sent / " + up.received + " received of " + up.total + ", down " + down.written
            + " / " + down.received;
    }

    private int write(final KtlsSocket socket, final Direction d)
    {
        int moved = 0;
        while (d.written < d.total)
        {
            final int n = (int)Math.min(RECORD_LENGTH, d.total - d.written);
            final int sent;
            try
            {
                sent = socket.send(data.source(), PatternData.offset(d.written, d.shift), n, Ktls.MSG_DONTWAIT);
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOMEM)
                {
                    return moved;
                }
                throw e;
            }
            d.written += sent;
            moved += sent;
            if (sent < n)
            {
                return moved;
            }
        }
        return moved;
    }

    private int read(final KtlsSocket socket, final Direction d)
    {
        int moved = 0;
        while (d.received < d.total)
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
                    return moved;
                }
                throw e;
            }
            if (n <= 0)
            {
                return moved;
            }
            if (n > d.total - d.received || !data.matches(read, n, d.received, d.shift))
            {
                throw new Flow.WrongBytesException("plaintext differs from what was sent within bytes " + d.received
                    + ".." + (d.received + n));
            }
            d.received += n;
            moved += n;
        }
        return moved;
    }
}
