package io.tlsnic.harness.handshake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;

/**
 * One side of a TLS handshake run by Bouncy Castle in non-blocking mode over a {@link KtlsSocket} before kTLS is
 * configured (the socket passes bytes through to TCP). Driven like an agent: {@link #doWork()} moves the library's
 * output to the socket and whole records from the socket to the library, and never blocks.
 * <p>
 * Reading: the next record's 5-byte header is peeked ({@code MSG_PEEK}); only when the whole record is in the
 * socket is it read, exactly, and offered to the library. With {@link ReadPolicy#RECORD_AT_A_TIME} reading stops
 * at the record that completes the handshake, so records the peer sends after its Finished stay in TCP for kTLS.
 * <p>
 * Completion: when the library reports the handshake complete and all of its output has been handed to TCP (so
 * kTLS records follow the library's last record), the keys and record numbers are exported into a
 * {@link HandshakeResult}; with a key log in the options, its lines are written then.
 * <pre>
 *   client: TlsHandshake c = TlsHandshake.client(socket, options, fingerprint);
 *   loop:   c.doWork() until c.isDone()        (c.failure() != null: the handshake failed)
 *   then:   KtlsSession s = c.result().install(socket);   // setUlp("tls"), TLS_TX, TLS_RX
 * </pre>
 */
public final class TlsHandshake
{
    /** Which side this is. */
    public enum Role
    {
        CLIENT,
        SERVER
    }

    private static final int MAX_RECORD_BODY = RecordProtection.MAX_TLS12_CIPHERTEXT_LENGTH;

    private final Role role;
    private final KtlsSocket socket;
    private final HandshakeOptions options;
    private final TlsProtocol protocol;
    private final SecretCapture capture;
    private final RecordLedger sent = new RecordLedger();
    private final RecordLedger read = new RecordLedger();
    private final byte[] header = new byte[RecordProtection.HEADER_LENGTH];
    private final ByteArrayOutputStream earlyApplicationData = new ByteArrayOutputStream();
    private byte[] pendingOutput = new byte[0];
    private int pendingOutputOffset;
    private HandshakeResult result;
    private HandshakeException failure;

    private TlsHandshake(final Role role, final KtlsSocket socket, final HandshakeOptions options,
        final TlsProtocol protocol, final SecretCapture capture)
    {
        this.role = role;
        this.socket = socket;
        this.options = options;
        this.protocol = protocol;
        this.capture = capture;
    }

    /**
     * Starts a client: the ClientHello is queued and goes out on the first {@link #doWork()}.
     *
     * @param socket a connected socket, kTLS not yet configured.
     * @param options version, ciphers, read policy, key log, randomness.
     * @param trustedFingerprint SHA-256 of the only server certificate accepted.
     * @return the client side.
     */
    public static TlsHandshake client(final KtlsSocket socket, final HandshakeOptions options,
        final byte[] trustedFingerprint)
    {
        final BcPeers.Client client = new BcPeers.Client(new ReproducibleCrypto(options), options, trustedFingerprint);
        final TlsClientProtocol protocol = new TlsClientProtocol();
        final TlsHandshake handshake = new TlsHandshake(Role.CLIENT, socket, options, protocol, client.capture);
        try
        {
            protocol.connect(client);
        }
        catch (final IOException e)
        {
            handshake.fail(e);
        }
        return handshake;
    }

    /**
     * Starts a server, waiting for the ClientHello.
     *
     * @param socket an accepted socket, kTLS not yet configured.
     * @param options version, ciphers, read policy, key log, randomness.
     * @param certificate the server's key and certificate.
     * @return the server side.
     */
    public static TlsHandshake server(final KtlsSocket socket, final HandshakeOptions options,
        final SelfSignedCertificate certificate)
    {
        final BcPeers.Server server = new BcPeers.Server(new ReproducibleCrypto(options), options, certificate);
        final TlsServerProtocol protocol = new TlsServerProtocol();
        final TlsHandshake handshake = new TlsHandshake(Role.SERVER, socket, options, protocol, server.capture);
        try
        {
            protocol.accept(server);
        }
        catch (final IOException e)
        {
            handshake.fail(e);
        }
        return handshake;
    }

    /**
     * Moves bytes both ways as far as possible now.
     *
     * @return units of work done (records read, output chunks sent); 0 when idle.
     */
    public int doWork()
    {
        if (result != null)
        {
            return 0;
        }
        if (failure != null)
        {
            return 0;
        }
        int work = 0;
        try
        {
            work += flushOutput();
            work += readRecords();
            work += flushOutput();
        }
        catch (final IOException | TlsErrnoException | IllegalStateException e)
        {
            // A fatal alert, the peer's FIN or RST, or a socket error: the handshake is over.
            fail(e);
        }
        if (failure == null && capture.complete && pendingOutputOffset == pendingOutput.length
            && protocol.getAvailableOutputBytes() == 0)
        {
            complete();
            work++;
        }
        return work;
    }

    /** @return whether the handshake completed (see {@link #result()}) or failed (see {@link #failure()}). */
    public boolean isDone()
    {
        return result != null || failure != null;
    }

    /** @return the failure, or null. */
    public HandshakeException failure()
    {
        return failure;
    }

    /**
     * @return the exported keys and record numbers.
     * @throws HandshakeException when the handshake failed.
     * @throws IllegalStateException when it is still running.
     */
    public HandshakeResult result() throws HandshakeException
    {
        if (failure != null)
        {
            throw failure;
        }
        if (result == null)
        {
            throw new IllegalStateException(role + " handshake is still running");
        }
        return result;
    }

    /** @return this side's role. */
    public Role role()
    {
        return role;
    }

    private int readRecords() throws IOException
    {
        int records = 0;
        while (protocol.isHandshaking() || options.readPolicy() == ReadPolicy.READ_AHEAD && !protocol.isClosed())
        {
            final int peeked = peek(header);
            if (peeked < 0)
            {
                throw new HandshakeException(role + ": the peer closed the connection during the "
                    + options.version() + " handshake", null);
            }
            if (peeked < header.length)
            {
                break;
            }
            final int bodyLength = RecordLedger.bodyLength(header, 0);
            if (bodyLength > MAX_RECORD_BODY)
            {
                throw new HandshakeException(role + ": record length " + bodyLength + " exceeds " + MAX_RECORD_BODY
                    + " in the " + options.version() + " handshake", null);
            }
            final byte[] record = new byte[RecordProtection.HEADER_LENGTH + bodyLength];
            if (peek(record) < record.length)
            {
                break;
            }
            final int n = socket.recv(record, 0, record.length, Ktls.MSG_DONTWAIT);
            if (n != record.length)
            {
                throw new IllegalStateException("read " + n + " of a " + record.length + "-byte record just peeked");
            }
            read.addRecord(record);
            protocol.offerInput(record);
            records++;
            flushOutput();
            drainApplicationData();
        }
        return records;
    }

    /** @return bytes peeked (up to {@code into.length}), or -1 at end of stream. */
    private int peek(final byte[] into)
    {
        try
        {
            final int n = socket.recv(into, 0, into.length, Ktls.MSG_PEEK | Ktls.MSG_DONTWAIT);
            return n == 0 ? -1 : n;
        }
        catch (final TlsErrnoException e)
        {
            if (e.errno() == Errno.EAGAIN)
            {
                return 0;
            }
            throw e;
        }
    }

    private void drainApplicationData()
    {
        final int available = protocol.getAvailableInputBytes();
        if (available > 0)
        {
            final byte[] data = new byte[available];
            final int n = protocol.readInput(data, 0, available);
            earlyApplicationData.write(data, 0, n);
        }
    }

    private int flushOutput()
    {
        int work = 0;
        if (pendingOutputOffset == pendingOutput.length && protocol.getAvailableOutputBytes() > 0)
        {
            pendingOutput = new byte[protocol.getAvailableOutputBytes()];
            pendingOutputOffset = 0;
            protocol.readOutput(pendingOutput, 0, pendingOutput.length);
            sent.addStream(pendingOutput, 0, pendingOutput.length);
        }
        while (pendingOutputOffset < pendingOutput.length)
        {
            try
            {
                pendingOutputOffset += socket.send(pendingOutput, pendingOutputOffset,
                    pendingOutput.length - pendingOutputOffset, Ktls.MSG_DONTWAIT);
                work++;
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOMEM)
                {
                    break;
                }
                throw e;
            }
            if (pendingOutputOffset == pendingOutput.length && protocol.getAvailableOutputBytes() > 0)
            {
                pendingOutput = new byte[protocol.getAvailableOutputBytes()];
                pendingOutputOffset = 0;
                protocol.readOutput(pendingOutput, 0, pendingOutput.length);
                sent.addStream(pendingOutput, 0, pendingOutput.length);
            }
        }
        return work;
    }

    private void complete()
    {
        try
        {
            drainApplicationData();
            result = HandshakeResult.export(role, capture, sent, read, earlyApplicationData.toByteArray(),
                options.keyLog());
        }
        catch (final IOException | RuntimeException e)
        {
            fail(e);
        }
        finally
        {
            capture.wipe();
        }
    }

    private void fail(final Exception e)
    {
        if (failure != null)
        {
            return;
        }
        final String alert = capture.alertReceived != null ? "the peer sent alert " + capture.alertReceived
            : capture.alertRaised != null ? "it sent alert " + capture.alertRaised : e.toString();
        failure = e instanceof HandshakeException he ? he
            : new HandshakeException(role + " " + options.version() + " handshake offering "
                + options.ciphers() + " failed: " + alert, e);
        capture.wipe();
        try
        {
            // The library queues its alert before it throws: let it reach the peer.
            flushOutput();
        }
        catch (final TlsErrnoException | IllegalStateException flushFailure)
        {
            failure.addSuppressed(flushFailure);
        }
    }

    /**
     * Bouncy Castle's lightweight crypto drawing only on the options' randomness. BC seeds each connection's nonce
     * generator (randoms, session ids) with a global counter and {@code System.nanoTime()} on top of that
     * randomness; only the side bit (client/server) is kept here, so a seeded random gives the same handshake
     * bytes on every run. A random from the system still makes every handshake unpredictable.
     */
    private static final class ReproducibleCrypto extends BcTlsCrypto
    {
        ReproducibleCrypto(final HandshakeOptions options)
        {
            super(options.random());
        }

        @Override
        public TlsNonceGenerator createNonceGenerator(final byte[] additionalSeedMaterial)
        {
            return super.createNonceGenerator(new byte[] {(byte)(additionalSeedMaterial[0] & 0x80)});
        }
    }
}
