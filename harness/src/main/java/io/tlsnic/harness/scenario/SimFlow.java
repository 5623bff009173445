package io.tlsnic.harness.scenario;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import io.tlsnic.harness.handshake.HandshakeException;
import io.tlsnic.harness.handshake.HandshakeOptions;
import io.tlsnic.harness.handshake.KtlsSession;
import io.tlsnic.harness.handshake.ReadPolicy;
import io.tlsnic.harness.handshake.SelfSignedCertificate;
import io.tlsnic.harness.handshake.TlsHandshake;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.TcpConnectionTransport;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.keys.KeyLogWriter;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;

/**
 * One TLS connection of a scenario, from TCP connect through a Bouncy Castle handshake and the hand-over to kTLS
 * (offloaded to the NICs where the spec and the device allow), then the application workload both ways with every
 * byte checked, and a TLS 1.3 KeyUpdate halfway when asked. Driven by {@link #step()}; never blocks.
 */
final class SimFlow
{
    /** Where a flow is. */
    enum Phase
    {
        CONNECTING, HANDSHAKE, TRANSFER, DONE, FAILED
    }

    private static final int BULK_WRITE = 16384;

    final int id;
    final FlowSpec spec;
    final int port;
    final TlsCounters clientCounters = new TlsCounters();
    final TlsCounters serverCounters = new TlsCounters();
    final AppStream up;
    final AppStream down;
    private final Network net;
    private final SelfSignedCertificate certificate;
    private final KeyLogWriter keyLog;
    private final long seed;
    private final boolean deviceRekey;
    private final SplittableRandom sizes;
    private final byte[] readBuffer = new byte[65536];
    private TcpConnection clientConnection;
    private TcpConnection serverConnection;
    private KtlsSocket clientSocket;
    private KtlsSocket serverSocket;
    private TlsHandshake clientHandshake;
    private TlsHandshake serverHandshake;
    private KtlsSession client;
    private KtlsSession server;
    private Phase phase = Phase.CONNECTING;
    private String failure;
    private boolean keyUpdateSent;
    private Path upFile;
    private Path downFile;
    private FileChannel upChannel;
    private FileChannel downChannel;

    SimFlow(final Network net, final int id, final FlowSpec spec, final SelfSignedCertificate certificate,
        final KeyLogWriter keyLog, final long seed, final boolean deviceRekey)
    {
        this.deviceRekey = deviceRekey;
        this.net = net;
        this.id = id;
        this.spec = spec;
        this.certificate = certificate;
        this.keyLog = keyLog;
        this.seed = seed;
        this.sizes = new SplittableRandom(seed ^ 0x5A11L);
        this.port = net.nextPort();
        if (spec.workload() == Workload.REQUEST_RESPONSE)
        {
            final long rounds = (spec.bytes() + spec.responseBytes() - 1) / spec.responseBytes();
            up = new AppStream(rounds * spec.requestBytes(), seed * 31 + 1);
        }
        else
        {
            up = new AppStream(spec.bytes(), seed * 31 + 1);
        }
        down = new AppStream(spec.bytes(), seed * 31 + 2);
        net.b.listen(port, TcpConfig.defaults(), c -> serverConnection = c);
        clientConnection = net.a.connect(net.b.address(), port, TcpConfig.defaults());
    }

    Phase phase()
    {
        return phase;
    }

    String failure()
    {
        return failure;
    }

    /** One step. @return true when this flow has nothing more to do (done or failed). */
    boolean step()
    {
        try
        {
            switch (phase)
            {
                case CONNECTING:
                    connecting();
                    break;
                case HANDSHAKE:
                    handshaking();
                    break;
                case TRANSFER:
                    transfer();
                    break;
                default:
                    break;
            }
        }
        catch (final IOException | RuntimeException e)
        {
            fail(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return phase == Phase.DONE || phase == Phase.FAILED;
    }

    private void connecting() throws IOException
    {
        if (clientConnection.state() != TcpState.ESTABLISHED || serverConnection == null
            || serverConnection.state() != TcpState.ESTABLISHED)
        {
            return;
        }
        final boolean offload = spec.offload() != FlowSpec.Offload.OFF;
        clientSocket = new KtlsSocket(offload ? net.a.transportFor(clientConnection)
            : new TcpConnectionTransport(clientConnection), clientCounters);
        serverSocket = new KtlsSocket(offload ? net.b.transportFor(serverConnection)
            : new TcpConnectionTransport(serverConnection), serverCounters);
        clientSocket.setDeviceRekey(deviceRekey);
        serverSocket.setDeviceRekey(deviceRekey);
        HandshakeOptions options = new HandshakeOptions(spec.version(), java.util.List.of(spec.cipher()),
            ReadPolicy.RECORD_AT_A_TIME, null, HandshakeOptions.seededRandom(seed * 2 + 1));
        if (keyLog != null)
        {
            options = options.withKeyLog(keyLog);
        }
        clientHandshake = TlsHandshake.client(clientSocket, options, certificate.sha256Fingerprint());
        serverHandshake = TlsHandshake.server(serverSocket, new HandshakeOptions(spec.version(),
            java.util.List.of(spec.cipher()), ReadPolicy.RECORD_AT_A_TIME, null,
            HandshakeOptions.seededRandom(seed * 2 + 2)), certificate);
        phase = Phase.HANDSHAKE;
        handshaking();
    }

    private void handshaking() throws IOException
    {
        clientHandshake.doWork();
        serverHandshake.doWork();
        if (!clientHandshake.isDone() || !serverHandshake.isDone())
        {
            return;
        }
        try
        {
            client = clientHandshake.result().install(clientSocket);
            server = serverHandshake.result().install(serverSocket);
        }
        catch (final HandshakeException e)
        {
            fail("handshake failed: " + e.getMessage());
            return;
        }
        if (spec.offload() == FlowSpec.Offload.REQUIRED && !(onDevice(clientCounters) && onDevice(serverCounters)))
        {
            fail("offload is required but the device did not take the " + spec.version() + " " + spec.cipher()
                + " context");
            return;
        }
        if (spec.workload() == Workload.SENDFILE)
        {
            upFile = blockFile(up);
            downFile = blockFile(down);
            upChannel = FileChannel.open(upFile, StandardOpenOption.READ);
            downChannel = FileChannel.open(downFile, StandardOpenOption.READ);
        }
        phase = Phase.TRANSFER;
        transfer();
    }

    private void transfer() throws IOException
    {
        final long upLimit;
        final long downLimit;
        if (spec.workload() == Workload.REQUEST_RESPONSE)
        {
            // The client sends request k+1 once response k has arrived; the server answers request k once it is whole.
            upLimit = (down.received / spec.responseBytes() + 1) * spec.requestBytes();
            downLimit = up.received / spec.requestBytes() * spec.responseBytes();
        }
        else
        {
            upLimit = keyUpdatePending() ? up.total / 2 : up.total;
            downLimit = down.total;
        }
        write(client, up, upLimit, upChannel);
        write(server, down, downLimit, downChannel);
        if (keyUpdatePending() && up.written >= up.total / 2 && client.sendKeyUpdate(true))
        {
            keyUpdateSent = true;
        }
        readOrSay(server, up, "client to server");
        readOrSay(client, down, "server to client");
        if (up.wrong() != null || down.wrong() != null)
        {
            fail("plaintext differs: " + (up.wrong() != null ? "client to server " + up.wrong()
                : "server to client " + down.wrong()));
            return;
        }
        final boolean owesNothing = client.sendOwedKeyUpdate() & server.sendOwedKeyUpdate();
        if (up.complete() && down.complete() && owesNothing && !keyUpdatePending())
        {
            phase = Phase.DONE;
            closeFiles();
        }
    }

    private boolean keyUpdatePending()
    {
        return spec.keyUpdate() && !keyUpdateSent;
    }

    private void write(final KtlsSession session, final AppStream s, final long limit, final FileChannel file)
        throws IOException
    {
        while (s.written < Math.min(limit, s.total))
        {
            final int max;
            switch (spec.workload())
            {
                case SMALL_WRITES:
                    max = 1 + sizes.nextInt(100);
                    break;
                case REQUEST_RESPONSE:
                    max = session == client ? spec.requestBytes() : spec.responseBytes();
                    break;
                default:
                    max = BULK_WRITE;
                    break;
            }
            final int n = s.writable(limit, max);
            final long sent;
            if (file != null)
            {
                sent = sendfile(session.socket(), file, s.writeOffset(), n);
            }
            else
            {
                sent = session.send(s.source(), s.writeOffset(), n);
            }
            s.written += sent;
            if (sent < n)
            {
                return;
            }
        }
    }

    private static long sendfile(final KtlsSocket socket, final FileChannel file, final long position, final int n)
    {
        try
        {
            return socket.sendfile(file, position, n);
        }
        catch (final TlsErrnoException e)
        {
            if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOMEM)
            {
                return 0;
            }
            throw e;
        }
    }

    private void read(final KtlsSession session, final AppStream s) throws IOException
    {
        while (!s.complete())
        {
            final int n = session.recv(readBuffer, 0, readBuffer.length);
            if (n == 0)
            {
                return;
            }
            if (n < 0)
            {
                throw new IOException("the stream ended after " + s.received + " of " + s.total + " bytes");
            }
            if (!s.receive(readBuffer, 0, n))
            {
                return;
            }
        }
    }

    private void readOrSay(final KtlsSession session, final AppStream s, final String direction) throws IOException
    {
        try
        {
            read(session, s);
        }
        catch (final TlsErrnoException e)
        {
            throw new IOException(direction + ", after " + s.received + " bytes: " + e.getMessage(), e);
        }
    }

    private static Path blockFile(final AppStream s) throws IOException
    {
        final Path file = Files.createTempFile("tlsnic-sendfile-", ".bin");
        Files.write(file, s.source());
        return file;
    }

    private void fail(final String why)
    {
        if (phase != Phase.FAILED)
        {
            failure = why;
            phase = Phase.FAILED;
            closeFiles();
        }
    }

    /** Removes the sendfile files; safe to call more than once. */
    void closeFiles()
    {
        try
        {
            if (upChannel != null)
            {
                upChannel.close();
                downChannel.close();
                Files.deleteIfExists(upFile);
                Files.deleteIfExists(downFile);
                upChannel = null;
            }
        }
        catch (final IOException e)
        {
            // A temp file left behind is harmless and the OS cleans it.
        }
    }

    int clientPort()
    {
        return clientConnection.localPort();
    }

    KtlsSocket clientSocket()
    {
        return clientSocket;
    }

    KtlsSocket serverSocket()
    {
        return serverSocket;
    }

    KtlsSession clientSession()
    {
        return client;
    }

    KtlsSession serverSession()
    {
        return server;
    }

    /** @return whether both of a socket's directions went to the device. */
    private static boolean onDevice(final TlsCounters counters)
    {
        return counters.get(TlsStat.TLS_TX_DEVICE) > 0 && counters.get(TlsStat.TLS_RX_DEVICE) > 0;
    }
}
