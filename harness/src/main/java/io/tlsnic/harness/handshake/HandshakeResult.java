package io.tlsnic.harness.handshake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.security.auth.Destroyable;

import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.wire.keys.HashAlgorithm;
import io.tlsnic.wire.keys.KeyLog;
import io.tlsnic.wire.keys.KeyLogWriter;
import io.tlsnic.wire.keys.Tls12Prf;
import io.tlsnic.wire.keys.Tls13KeySchedule;
import io.tlsnic.wire.keys.TrafficKeys;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * What a completed handshake hands to kTLS: the negotiated version and cipher, the crypto_info of each direction
 * with the record number the next record will carry, application data the library had already decrypted, and the
 * raw handshake records of both directions (a capture of the handshake, for checks against the key log).
 * <p>
 * Keys: TLS 1.3 traffic keys from {@code CLIENT/SERVER_TRAFFIC_SECRET_0} ({@link Tls13KeySchedule#trafficKeys}); TLS
 * 1.2 from the master secret and both randoms ({@link Tls12Prf#keyBlock}). Record numbers: the records of each
 * direction that open under the exported key ({@link RecordLedger#countUnderKeys}), which also proves the keys right.
 */
public final class HandshakeResult implements Destroyable
{
    private final TlsHandshake.Role role;
    private final TlsVersion version;
    private final TlsCipher cipher;
    private final byte[] clientRandom;
    private final CryptoInfo txInfo;
    private final CryptoInfo rxInfo;
    private final byte[] txTrafficSecret;
    private final byte[] rxTrafficSecret;
    private final byte[] earlyApplicationData;
    private final List<byte[]> recordsSent;
    private final List<byte[]> recordsRead;
    private final List<String> keyLogLabels;
    private boolean destroyed;

    private HandshakeResult(final TlsHandshake.Role role, final TlsVersion version, final TlsCipher cipher,
        final byte[] clientRandom, final CryptoInfo txInfo, final CryptoInfo rxInfo, final byte[] txTrafficSecret,
        final byte[] rxTrafficSecret, final byte[] earlyApplicationData, final List<byte[]> recordsSent,
        final List<byte[]> recordsRead, final List<String> keyLogLabels)
    {
        this.role = role;
        this.version = version;
        this.cipher = cipher;
        this.clientRandom = clientRandom;
        this.txInfo = txInfo;
        this.rxInfo = rxInfo;
        this.txTrafficSecret = txTrafficSecret;
        this.rxTrafficSecret = rxTrafficSecret;
        this.earlyApplicationData = earlyApplicationData;
        this.recordsSent = recordsSent;
        this.recordsRead = recordsRead;
        this.keyLogLabels = keyLogLabels;
    }

    static HandshakeResult export(final TlsHandshake.Role role, final SecretCapture capture, final RecordLedger sent,
        final RecordLedger read, final byte[] earlyApplicationData, final KeyLogWriter keyLog) throws IOException
    {
        final TlsVersion version = BcSuites.versionOf(capture.version);
        final TlsCipher cipher = BcSuites.cipherOf(capture.cipherSuite);
        final boolean client = role == TlsHandshake.Role.CLIENT;
        final TrafficKeys clientKeys;
        final TrafficKeys serverKeys;
        if (version == TlsVersion.TLS_1_3)
        {
            clientKeys = Tls13KeySchedule.trafficKeys(cipher, capture.clientTrafficSecret);
            serverKeys = Tls13KeySchedule.trafficKeys(cipher, capture.serverTrafficSecret);
        }
        else
        {
            final Tls12Prf.KeyBlock block = Tls12Prf.keyBlock(HashAlgorithm.forCipher(cipher), cipher,
                capture.masterSecret, capture.clientRandom, capture.serverRandom);
            clientKeys = block.client();
            serverKeys = block.server();
        }
        try
        {
            final TrafficKeys txKeys = client ? clientKeys : serverKeys;
            final TrafficKeys rxKeys = client ? serverKeys : clientKeys;
            final long txRecord = sent.countUnderKeys(txKeys.toCryptoInfo(version, cipher, 0), "sent");
            final long rxRecord = read.countUnderKeys(rxKeys.toCryptoInfo(version, cipher, 0), "read");
            final List<String> labels = keyLog == null ? List.of() : writeKeyLog(keyLog, version, capture);
            final byte[] clientSecret = capture.clientTrafficSecret;
            final byte[] serverSecret = capture.serverTrafficSecret;
            return new HandshakeResult(role, version, cipher, capture.clientRandom.clone(),
                txKeys.toCryptoInfo(version, cipher, txRecord), rxKeys.toCryptoInfo(version, cipher, rxRecord),
                clone(client ? clientSecret : serverSecret), clone(client ? serverSecret : clientSecret),
                earlyApplicationData, sent.records(), read.records(), labels);
        }
        finally
        {
            clientKeys.destroy();
            serverKeys.destroy();
        }
    }

    private static List<String> writeKeyLog(final KeyLogWriter keyLog, final TlsVersion version,
        final SecretCapture capture) throws IOException
    {
        final List<String> labels = new ArrayList<>();
        final byte[] random = capture.clientRandom;
        if (version == TlsVersion.TLS_1_2)
        {
            keyLog.write(KeyLog.CLIENT_RANDOM, random, capture.masterSecret);
            labels.add(KeyLog.CLIENT_RANDOM);
        }
        else
        {
            final String[] names = {KeyLog.CLIENT_HANDSHAKE_TRAFFIC_SECRET, KeyLog.SERVER_HANDSHAKE_TRAFFIC_SECRET,
                KeyLog.CLIENT_TRAFFIC_SECRET_0, KeyLog.SERVER_TRAFFIC_SECRET_0, KeyLog.EXPORTER_SECRET};
            final byte[][] secrets = {capture.clientHandshakeTrafficSecret, capture.serverHandshakeTrafficSecret,
                capture.clientTrafficSecret, capture.serverTrafficSecret, capture.exporterSecret};
            for (int i = 0; i < names.length; i++)
            {
                if (secrets[i] == null)
                {
                    throw new IllegalStateException("no " + names[i] + " was captured from the TLS library");
                }
                keyLog.write(names[i], random, secrets[i]);
                labels.add(names[i]);
            }
        }
        keyLog.flush();
        return List.copyOf(labels);
    }

    /**
     * Attaches kTLS and installs both directions: {@code setUlp("tls")} (unless attached already), then
     * {@code TLS_TX} and {@code TLS_RX} with this result's crypto_info.
     *
     * @param socket the socket the handshake ran on.
     * @return the session, which hands out {@link #earlyApplicationData()} before kTLS data.
     */
    public KtlsSession install(final KtlsSocket socket)
    {
        requireNotDestroyed();
        socket.setUlp("tls");
        socket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, txInfo.toBytes());
        socket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, rxInfo.toBytes());
        return new KtlsSession(socket, this);
    }

    /** @return this side's role. */
    public TlsHandshake.Role role()
    {
        return role;
    }

    /** @return the negotiated version. */
    public TlsVersion version()
    {
        return version;
    }

    /** @return the negotiated record cipher. */
    public TlsCipher cipher()
    {
        return cipher;
    }

    /** @return ClientHello.random, the key log's connection id. */
    public byte[] clientRandom()
    {
        return clientRandom.clone();
    }

    /** @return the TLS_TX crypto_info; its rec_seq is the number of the next record this side sends. */
    public CryptoInfo txInfo()
    {
        requireNotDestroyed();
        return txInfo;
    }

    /** @return the TLS_RX crypto_info; its rec_seq is the number of the next record this side reads. */
    public CryptoInfo rxInfo()
    {
        requireNotDestroyed();
        return rxInfo;
    }

    /** @return plaintext the library decrypted past the handshake ({@link ReadPolicy#READ_AHEAD}); often empty. */
    public byte[] earlyApplicationData()
    {
        return earlyApplicationData.clone();
    }

    /** @return the records this side sent during the handshake, whole, in order. */
    public List<byte[]> recordsSent()
    {
        return copies(recordsSent);
    }

    /** @return the records this side read during the handshake, whole, in order. */
    public List<byte[]> recordsRead()
    {
        return copies(recordsRead);
    }

    /** @return labels of the key log lines written for this connection; empty when no key log was asked for. */
    public List<String> keyLogLabels()
    {
        return keyLogLabels;
    }

    byte[] txTrafficSecret()
    {
        requireNotDestroyed();
        return clone(txTrafficSecret);
    }

    byte[] rxTrafficSecret()
    {
        requireNotDestroyed();
        return clone(rxTrafficSecret);
    }

    /** Wipes the keys and secrets. */
    @Override
    public void destroy()
    {
        destroyed = true;
        txInfo.destroy();
        rxInfo.destroy();
        if (txTrafficSecret != null)
        {
            Arrays.fill(txTrafficSecret, (byte)0);
            Arrays.fill(rxTrafficSecret, (byte)0);
        }
    }

    @Override
    public boolean isDestroyed()
    {
        return destroyed;
    }

    @Override
    public String toString()
    {
        return role + " " + version + " " + cipher + " tx record " + Long.toUnsignedString(txInfo.recSeq())
            + " rx record " + Long.toUnsignedString(rxInfo.recSeq()) + ", " + earlyApplicationData.length
            + " early application bytes";
    }

    private void requireNotDestroyed()
    {
        if (destroyed)
        {
            throw new IllegalStateException("handshake result destroyed");
        }
    }

    private static byte[] clone(final byte[] b)
    {
        return b == null ? null : b.clone();
    }

    private static List<byte[]> copies(final List<byte[]> records)
    {
        final List<byte[]> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(r.clone()));
        return out;
    }
}
