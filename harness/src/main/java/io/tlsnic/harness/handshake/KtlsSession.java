package io.tlsnic.harness.handshake;

import java.io.IOException;
import java.util.Arrays;

import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.RecordTypeCmsg;
import io.tlsnic.wire.keys.HashAlgorithm;
import io.tlsnic.wire.keys.Tls13KeySchedule;
import io.tlsnic.wire.keys.TrafficKeys;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The application's side of a connection after the hand-over: data through the kTLS socket, plaintext the TLS
 * library had already decrypted delivered first, and the post-handshake messages a kTLS application must handle
 * itself, as userspace TLS libraries do over kTLS: TLS 1.3 KeyUpdate (install the next RX key, answer a request),
 * NewSessionTicket (ignored), alerts (close_notify is end of stream). The traffic secrets stay here for rekeying.
 * All calls are non-blocking.
 */
public final class KtlsSession
{
    private static final int KEY_UPDATE_LENGTH = 5;
    private static final int NEW_SESSION_TICKET = 4;
    private static final int ALERT_CLOSE_NOTIFY = 0;

    private final KtlsSocket socket;
    private final TlsVersion version;
    private final TlsCipher cipher;
    private final RecordTypeCmsg cmsg = new RecordTypeCmsg();
    private final byte[] early;
    private int earlyOffset;
    private byte[] txSecret;
    private byte[] rxSecret;
    private int txGeneration;
    private int rxGeneration;
    private boolean keyUpdateAnswerOwed;
    private boolean txKeyPending;

    KtlsSession(final KtlsSocket socket, final HandshakeResult result)
    {
        this.socket = socket;
        this.version = result.version();
        this.cipher = result.cipher();
        this.early = result.earlyApplicationData();
        this.txSecret = result.txTrafficSecret();
        this.rxSecret = result.rxTrafficSecret();
    }

    /** @return the socket. */
    public KtlsSocket socket()
    {
        return socket;
    }

    /**
     * Sends application data; each call closes a record (or several of 2^14 bytes).
     *
     * @return bytes taken; 0 when the socket has no room now.
     */
    public int send(final byte[] b, final int off, final int len)
    {
        answerKeyUpdateIfOwed();
        if (!installPendingTxKey())
        {
            return 0;
        }
        try
        {
            return socket.send(b, off, len, Ktls.MSG_DONTWAIT);
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

    /**
     * Reads application data: first what the library decrypted during the handshake, then kTLS records.
     * Control records met on the way are handled and not returned.
     *
     * @return bytes read; 0 when none is ready; -1 at end of stream (close_notify or FIN).
     * @throws IOException for a fatal alert from the peer or a handshake message kTLS applications cannot take.
     */
    public int recv(final byte[] b, final int off, final int len) throws IOException
    {
        if (earlyOffset < early.length)
        {
            final int n = Math.min(len, early.length - earlyOffset);
            System.arraycopy(early, earlyOffset, b, off, n);
            earlyOffset += n;
            return n;
        }
        answerKeyUpdateIfOwed();
        while (true)
        {
            final int n;
            try
            {
                n = socket.recvmsg(b, off, len, Ktls.MSG_DONTWAIT, cmsg);
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() == Errno.EAGAIN)
                {
                    return 0;
                }
                throw e;
            }
            final int type = cmsg.isSet() ? cmsg.recordType() : Ktls.RECORD_TYPE_DATA;
            if (type == Ktls.RECORD_TYPE_DATA)
            {
                return n == 0 ? -1 : n;
            }
            if (type == Ktls.RECORD_TYPE_ALERT)
            {
                if (n >= 2 && b[off + 1] == ALERT_CLOSE_NOTIFY)
                {
                    return -1;
                }
                throw new IOException("the peer sent TLS alert " + (n >= 2 ? b[off + 1] & 0xFF : -1)
                    + " on the kTLS socket");
            }
            if (type != Ktls.RECORD_TYPE_HANDSHAKE)
            {
                throw new IOException("record type " + type + " on a kTLS socket after the handshake");
            }
            onHandshakeMessages(b, off, n);
        }
    }

    /**
     * TLS 1.3 KeyUpdate from this side (RFC 8446 section 4.6.3): the KeyUpdate handshake record goes out under the
     * current key ({@code sendmsg} with record type 22), then the next-generation TX key is installed with
     * rec_seq 0 (on an offloaded TX with device rekey, once the old key's records are acknowledged: {@link #send}
     * returns 0 until then).
     *
     * @param requestPeerUpdate update_requested: the peer is to update its own sending key too.
     * @return false when the socket had no room for the record (nothing changed; try again).
     */
    public boolean sendKeyUpdate(final boolean requestPeerUpdate)
    {
        requireTls13();
        if (!installPendingTxKey())
        {
            return false;
        }
        final byte[] message = {(byte)Ktls.HANDSHAKE_KEY_UPDATE, 0, 0, 1, (byte)(requestPeerUpdate ? 1 : 0)};
        try
        {
            socket.sendmsg(message, 0, message.length, Ktls.MSG_DONTWAIT, Ktls.RECORD_TYPE_HANDSHAKE);
        }
        catch (final TlsErrnoException e)
        {
            if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOMEM)
            {
                return false;
            }
            throw e;
        }
        txSecret = nextSecret(txSecret);
        txGeneration++;
        txKeyPending = true;
        installPendingTxKey();
        return true;
    }

    /**
     * Installs the TX key of the last KeyUpdate if it is not in yet: a socket whose TX is offloaded with device
     * rekey ({@code KtlsSocket#setDeviceRekey}) takes it only once every record under the old key is acknowledged
     * (EAGAIN until then); no application data may go out in between.
     *
     * @return true when no TX key is waiting.
     */
    private boolean installPendingTxKey()
    {
        if (!txKeyPending)
        {
            return true;
        }
        try
        {
            install(Ktls.TLS_TX, txSecret);
            txKeyPending = false;
            return true;
        }
        catch (final TlsErrnoException e)
        {
            if (e.errno() == Errno.EAGAIN)
            {
                return false;
            }
            throw e;
        }
    }

    /**
     * Installs the peer's next-generation key as TLS_RX (rec_seq 0), after a KeyUpdate was read. {@link #recv} does
     * it by itself; this is for applications that read control records themselves with {@code recvmsg}.
     */
    public void installNextRxKey()
    {
        requireTls13();
        rxSecret = nextSecret(rxSecret);
        install(Ktls.TLS_RX, rxSecret);
        rxGeneration++;
    }

    /** @return KeyUpdates sent: the N of the current application_traffic_secret_N this side sends with. */
    public int txGeneration()
    {
        return txGeneration;
    }

    /** @return KeyUpdates read: the N of the peer's current application_traffic_secret_N. */
    public int rxGeneration()
    {
        return rxGeneration;
    }

    private void onHandshakeMessages(final byte[] b, final int off, final int n) throws IOException
    {
        int at = off;
        while (at < off + n)
        {
            if (off + n - at < 4)
            {
                throw new IOException("a handshake record of " + n + " bytes ends inside a message header");
            }
            final int type = b[at] & 0xFF;
            final int length = ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
            if (at + 4 + length > off + n)
            {
                throw new IOException("handshake message type " + type + " of " + length
                    + " bytes is larger than the read buffer or split across records");
            }
            if (type == Ktls.HANDSHAKE_KEY_UPDATE && version == TlsVersion.TLS_1_3
                && length == KEY_UPDATE_LENGTH - 4)
            {
                installNextRxKey();
                keyUpdateAnswerOwed |= b[at + 4] == 1;
            }
            else if (type != NEW_SESSION_TICKET)
            {
                throw new IOException("handshake message type " + type + " (" + length
                    + " bytes) after the handshake on a " + version + " kTLS socket");
            }
            at += 4 + length;
        }
        answerKeyUpdateIfOwed();
    }

    /**
     * Sends the KeyUpdate owed to a peer that asked for one, if the socket has room now; {@link #send} and
     * {@link #recv} try it too, this is for an application with nothing to send or read.
     *
     * @return true when nothing is owed any more.
     */
    public boolean sendOwedKeyUpdate()
    {
        answerKeyUpdateIfOwed();
        return installPendingTxKey() && !keyUpdateAnswerOwed;
    }

    private void answerKeyUpdateIfOwed()
    {
        if (keyUpdateAnswerOwed && sendKeyUpdate(false))
        {
            keyUpdateAnswerOwed = false;
        }
    }

    private byte[] nextSecret(final byte[] secret)
    {
        final byte[] next = Tls13KeySchedule.nextTrafficSecret(HashAlgorithm.forCipher(cipher), secret);
        Arrays.fill(secret, (byte)0);
        return next;
    }

    private void install(final int direction, final byte[] secret)
    {
        final TrafficKeys keys = Tls13KeySchedule.trafficKeys(cipher, secret);
        final CryptoInfo info = keys.toCryptoInfo(version, cipher, 0);
        try
        {
            socket.setsockopt(Ktls.SOL_TLS, direction, info.toBytes());
        }
        finally
        {
            keys.destroy();
            info.destroy();
        }
    }

    private void requireTls13()
    {
        if (version != TlsVersion.TLS_1_3)
        {
            throw new IllegalStateException("KeyUpdate exists only in TLS 1.3, this connection is " + version);
        }
    }
}
