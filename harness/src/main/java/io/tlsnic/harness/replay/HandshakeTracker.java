package io.tlsnic.harness.replay;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.tlsnic.harness.replay.HandshakeOutcome.Status;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.keys.KeyLog;
import io.tlsnic.wire.keys.Tls12Prf;
import io.tlsnic.wire.keys.Tls13KeySchedule;
import io.tlsnic.wire.keys.TrafficKeys;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsRecordHeader;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Follows one connection's handshake the way a userspace TLS library does before it hands its keys to kTLS, and
 * says where kTLS takes over in each direction:
 * <ul>
 *   <li>TLS 1.2: after ChangeCipherSpec the encrypted Finished is record 0 (the library opens it, which also proves
 *       the keys); kTLS starts at record 1. Keys from the key log's CLIENT_RANDOM master secret, or for a plain PSK
 *       suite from {@code --psk} (RFC 4279 pre-master secret, RFC 7627 extended master secret when negotiated).</li>
 *   <li>TLS 1.3: the encrypted handshake is opened with the *_HANDSHAKE_TRAFFIC_SECRETs up to each side's Finished;
 *       kTLS starts at the next record, record 0 under *_TRAFFIC_SECRET_0. 0-RTT records are opened with
 *       CLIENT_EARLY_TRAFFIC_SECRET and returned as early data, as the library returns them.</li>
 * </ul>
 */
public final class HandshakeTracker
{
    private final KeySource keys;
    private final String captureName;

    /**
     * @param keys        key log and PSK.
     * @param captureName capture file name for messages.
     */
    public HandshakeTracker(final KeySource keys, final String captureName)
    {
        this.keys = keys;
        this.captureName = captureName;
    }

    /**
     * @param first  the direction whose first packet came first.
     * @param second the other direction.
     * @return the keys of both directions, or why there are none.
     */
    public HandshakeOutcome follow(final DirectionStream first, final DirectionStream second)
    {
        try
        {
            return followOrThrow(first, second);
        }
        catch (final Failure failure)
        {
            return HandshakeOutcome.failed(failure.status, failure.getMessage(), failure.version, failure.suite);
        }
    }

    private HandshakeOutcome followOrThrow(final DirectionStream first, final DirectionStream second)
    {
        for (final DirectionStream direction : List.of(first, second))
        {
            final List<DirectionStream.Item> items = direction.items();
            if (!items.isEmpty() && items.get(0).kind() == DirectionStream.Kind.NOT_TLS)
            {
                throw new Failure(Status.NOT_TLS, "payload " + direction + " at packet "
                    + direction.frameAt(items.get(0).streamOffset()) + " is not a TLS record", null, null);
            }
        }
        final DirectionStream clientStream;
        final DirectionStream serverStream;
        if (startsWithClientHello(first))
        {
            clientStream = first;
            serverStream = second;
        }
        else if (startsWithClientHello(second))
        {
            clientStream = second;
            serverStream = first;
        }
        else
        {
            final DirectionStream withData = first.items().isEmpty() ? second : first;
            if (withData.items().isEmpty())
            {
                throw new Failure(Status.NOT_TLS, "no TCP payload", null, null);
            }
            final DirectionStream.Item item = withData.items().get(0);
            throw new Failure(Status.NO_HANDSHAKE, "no ClientHello in the capture: the first record " + withData
                + " (packet " + withData.frameAt(item.streamOffset()) + ") is "
                + (item.kind() == DirectionStream.Kind.RECORD
                ? TlsRecordHeader.contentTypeName(item.contentType()) : "incomplete"), null, null);
        }
        final Side client = new Side(clientStream, "client");
        final Side server = new Side(serverStream, "server");
        final HandshakeMessages.Message clientHelloMessage = client.nextPlainMessage();
        final Hello clientHello = parseHello(clientHelloMessage, true, client);
        final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        transcript.writeBytes(clientHelloMessage.encoded());
        Hello serverHello;
        HandshakeMessages.Message serverHelloMessage;
        do
        {
            serverHelloMessage = server.nextPlainMessage();
            while (serverHelloMessage.type() != HandshakeMessages.SERVER_HELLO)
            {
                serverHelloMessage = server.nextPlainMessage();
            }
            serverHello = parseHello(serverHelloMessage, false, server);
        }
        while (serverHello.isHelloRetryRequest());
        transcript.writeBytes(serverHelloMessage.encoded());
        final int suiteCode = serverHello.cipherSuites().get(0);
        final CipherSuite suite = CipherSuite.fromCode(suiteCode);
        final TlsVersion version = TlsVersion.fromCode(serverHello.version());
        if (version == null)
        {
            throw new Failure(Status.UNSUPPORTED, String.format("the ServerHello (packet %d) selects version 0x%04x;"
                + " kTLS carries TLS 1.2 and 1.3 only", server.lastFrame, serverHello.version()), null, null);
        }
        if (suite == null || suite.version() != version)
        {
            throw new Failure(Status.UNSUPPORTED, "the ServerHello (packet " + server.lastFrame + ") selects "
                + CipherSuite.describe(suiteCode) + " with " + version.label()
                + "; kTLS carries AES-GCM and ChaCha20-Poly1305 suites only", version, null);
        }
        final DirectionSetup[] setups = version == TlsVersion.TLS_1_2
            ? followTls12(client, server, clientHello, serverHello, suite, transcript)
            : followTls13(client, server, clientHello, suite);
        return new HandshakeOutcome(Status.READY, null, version, suite, clientStream.source(),
            serverStream.source(), clientHello.random(), setups[0], setups[1]);
    }

    private DirectionSetup[] followTls12(
        final Side client, final Side server, final Hello clientHello, final Hello serverHello,
        final CipherSuite suite, final ByteArrayOutputStream transcript)
    {
        // server flight up to ServerHelloDone, then the client's up to ClientKeyExchange: the RFC 7627 session hash
        final boolean abbreviated = server.peekType() == TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC;
        if (!abbreviated)
        {
            HandshakeMessages.Message message;
            do
            {
                message = server.nextPlainMessage();
                transcript.writeBytes(message.encoded());
            }
            while (message.type() != HandshakeMessages.SERVER_HELLO_DONE);
            do
            {
                message = client.nextPlainMessage();
                transcript.writeBytes(message.encoded());
            }
            while (message.type() != HandshakeMessages.CLIENT_KEY_EXCHANGE);
        }
        final byte[] masterSecret = tls12MasterSecret(clientHello, serverHello, suite, abbreviated, transcript);
        final Tls12Prf.KeyBlock block = Tls12Prf.keyBlock(
            suite.hash(), suite.cipher(), masterSecret, clientHello.random(), serverHello.random());
        Arrays.fill(masterSecret, (byte)0);
        try
        {
            return new DirectionSetup[] {
                tls12Direction(client, block.client(), suite), tls12Direction(server, block.server(), suite)};
        }
        finally
        {
            block.destroy();
        }
    }

    private byte[] tls12MasterSecret(
        final Hello clientHello, final Hello serverHello, final CipherSuite suite, final boolean abbreviated,
        final ByteArrayOutputStream transcript)
    {
        final Optional<byte[]> logged = keys.secret(KeyLog.CLIENT_RANDOM, clientHello.random());
        if (logged.isPresent())
        {
            return logged.get();
        }
        if (suite.isPlainPsk() && keys.hasPsk() && !abbreviated)
        {
            final byte[] preMaster = keys.pskPreMasterSecret().orElseThrow();
            try
            {
                return serverHello.extendedMasterSecret()
                    ? Tls12Prf.extendedMasterSecret(suite.hash(), preMaster, suite.hash().digest(transcript.toByteArray()))
                    : Tls12Prf.masterSecret(suite.hash(), preMaster, clientHello.random(), serverHello.random());
            }
            finally
            {
                Arrays.fill(preMaster, (byte)0);
            }
        }
        throw new Failure(Status.NO_KEY, keys.missing(KeyLog.CLIENT_RANDOM, clientHello.random())
            + (suite.isPlainPsk() && !keys.hasPsk() ? " and no --psk for " + suite.name() : ""),
            TlsVersion.TLS_1_2, suite);
    }

    private DirectionSetup tls12Direction(final Side side, final TrafficKeys trafficKeys, final CipherSuite suite)
    {
        DirectionStream.Item item = side.nextRecord();
        while (item.contentType() != TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC)
        {
            side.handshakeRecords++;
            item = side.nextRecord();
        }
        side.handshakeRecords++;
        final DirectionStream.Item finished = side.nextRecord();
        side.handshakeRecords++;
        final CryptoInfo finishedInfo = trafficKeys.toCryptoInfo(TlsVersion.TLS_1_2, suite.cipher(), 0);
        open(cipherFor(finishedInfo), 0, finished, side, "encrypted Finished (record 0)");
        finishedInfo.destroy();
        final long installOffset = finished.streamOffset() + finished.recordLength();
        return new DirectionSetup(side.stream.source(), side.stream.destination(), installOffset,
            side.stream.seqAt(installOffset), trafficKeys.toCryptoInfo(TlsVersion.TLS_1_2, suite.cipher(), 1),
            null, new byte[0], 0, side.handshakeRecords);
    }

    private DirectionSetup[] followTls13(
        final Side client, final Side server, final Hello clientHello, final CipherSuite suite)
    {
        final byte[] random = clientHello.random();
        final DirectionSetup serverSetup = tls13Direction(server, suite, random,
            KeyLog.SERVER_HANDSHAKE_TRAFFIC_SECRET, KeyLog.SERVER_TRAFFIC_SECRET_0, false);
        final DirectionSetup clientSetup = tls13Direction(client, suite, random,
            KeyLog.CLIENT_HANDSHAKE_TRAFFIC_SECRET, KeyLog.CLIENT_TRAFFIC_SECRET_0, clientHello.earlyData());
        return new DirectionSetup[] {clientSetup, serverSetup};
    }

    private DirectionSetup tls13Direction(
        final Side side, final CipherSuite suite, final byte[] clientRandom, final String handshakeLabel,
        final String trafficLabel, final boolean earlyDataOffered)
    {
        final RecordCipher handshake = tls13Cipher(suite, requireSecret(handshakeLabel, clientRandom, suite));
        final byte[] trafficSecret = requireSecret(trafficLabel, clientRandom, suite);
        final Optional<byte[]> earlySecret = earlyDataOffered
            ? keys.secret(KeyLog.CLIENT_EARLY_TRAFFIC_SECRET, clientRandom) : Optional.empty();
        RecordCipher early = earlySecret.map(secret -> tls13Cipher(suite, secret)).orElse(null);
        final ByteArrayOutputStream earlyData = new ByteArrayOutputStream();
        int earlyRecords = 0;
        long earlySeq = 0;
        long handshakeSeq = 0;
        final HandshakeMessages messages = new HandshakeMessages();
        while (true)
        {
            final DirectionStream.Item item = side.nextRecord();
            side.handshakeRecords++;
            if (item.contentType() != TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA)
            {
                continue; // the ClientHello after a HelloRetryRequest, compatibility-mode ChangeCipherSpec
            }
            final byte[] plain = new byte[item.recordLength()];
            if (early != null)
            {
                final int length = tryOpen(early, earlySeq, item, plain);
                if (length >= 0)
                {
                    earlySeq++;
                    if (early.lastContentType() == TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA)
                    {
                        earlyData.write(plain, 0, length);
                        earlyRecords++;
                    }
                    else if (early.lastContentType() == TlsRecordHeader.CONTENT_TYPE_HANDSHAKE)
                    {
                        early = null; // EndOfEarlyData: the handshake keys follow
                    }
                    continue;
                }
            }
            final int length = tryOpen(handshake, handshakeSeq, item, plain);
            if (length < 0)
            {
                if (earlyDataOffered && handshakeSeq == 0)
                {
                    continue; // 0-RTT the server rejected or that we have no key for: the server skips it too
                }
                throw new Failure(Status.FAILED, side.name + " handshake record " + handshakeSeq + " (packet "
                    + side.stream.frameAt(item.streamOffset()) + ") does not authenticate with " + handshakeLabel
                    + ": the key log does not fit this connection", TlsVersion.TLS_1_3, suite);
            }
            handshakeSeq++;
            early = null;
            if (handshake.lastContentType() != TlsRecordHeader.CONTENT_TYPE_HANDSHAKE)
            {
                continue;
            }
            for (final HandshakeMessages.Message message : messages.feed(plain, 0, length))
            {
                if (message.type() == HandshakeMessages.FINISHED)
                {
                    final long installOffset = item.streamOffset() + item.recordLength();
                    final TrafficKeys trafficKeys = Tls13KeySchedule.trafficKeys(suite.cipher(), trafficSecret);
                    final CryptoInfo cryptoInfo = trafficKeys.toCryptoInfo(TlsVersion.TLS_1_3, suite.cipher(), 0);
                    trafficKeys.destroy();
                    return new DirectionSetup(side.stream.source(), side.stream.destination(), installOffset,
                        side.stream.seqAt(installOffset), cryptoInfo, trafficSecret, earlyData.toByteArray(),
                        earlyRecords, side.handshakeRecords);
                }
            }
        }
    }

    private byte[] requireSecret(final String label, final byte[] clientRandom, final CipherSuite suite)
    {
        return keys.secret(label, clientRandom).orElseThrow(() ->
            new Failure(Status.NO_KEY, keys.missing(label, clientRandom), TlsVersion.TLS_1_3, suite));
    }

    private static RecordCipher tls13Cipher(final CipherSuite suite, final byte[] secret)
    {
        final TrafficKeys trafficKeys = Tls13KeySchedule.trafficKeys(suite.cipher(), secret);
        final CryptoInfo info = trafficKeys.toCryptoInfo(TlsVersion.TLS_1_3, suite.cipher(), 0);
        trafficKeys.destroy();
        final RecordCipher cipher = cipherFor(info);
        info.destroy();
        return cipher;
    }

    /**
     * @param info a crypto_info.
     * @return the record cipher kTLS would build from it.
     */
    static RecordCipher cipherFor(final CryptoInfo info)
    {
        return new RecordCipher(info.version(), info.cipher(), info.key(), info.salt(), info.iv(), info.recSeq());
    }

    private static int tryOpen(final RecordCipher cipher, final long seq, final DirectionStream.Item item,
        final byte[] out)
    {
        try
        {
            return cipher.open(seq, item.record(), 0, item.recordLength(), out, 0);
        }
        catch (final TlsErrnoException e)
        {
            return -1;
        }
    }

    private void open(final RecordCipher cipher, final long seq, final DirectionStream.Item item, final Side side,
        final String what)
    {
        if (tryOpen(cipher, seq, item, new byte[item.recordLength()]) < 0)
        {
            throw new Failure(Status.FAILED, "the " + side.name + "'s " + what + " (packet "
                + side.stream.frameAt(item.streamOffset()) + ") does not authenticate: the key does not fit this"
                + " connection", cipher.version(), null);
        }
    }

    private static boolean startsWithClientHello(final DirectionStream stream)
    {
        if (stream.items().isEmpty() || stream.items().get(0).kind() != DirectionStream.Kind.RECORD)
        {
            return false;
        }
        final byte[] record = stream.items().get(0).record();
        return (record[0] & 0xFF) == TlsRecordHeader.CONTENT_TYPE_HANDSHAKE
            && record.length > TlsRecordHeader.HEADER_LENGTH
            && (record[TlsRecordHeader.HEADER_LENGTH] & 0xFF) == HandshakeMessages.CLIENT_HELLO;
    }

    private Hello parseHello(final HandshakeMessages.Message message, final boolean client, final Side side)
    {
        final int expected = client ? HandshakeMessages.CLIENT_HELLO : HandshakeMessages.SERVER_HELLO;
        if (message.type() != expected)
        {
            throw new Failure(Status.FAILED, "expected a " + (client ? "ClientHello" : "ServerHello") + " at packet "
                + side.lastFrame + ", found handshake message type " + message.type(), null, null);
        }
        try
        {
            return Hello.parse(message.body(), client);
        }
        catch (final IllegalArgumentException e)
        {
            throw new Failure(Status.FAILED, captureName + ": malformed " + (client ? "ClientHello" : "ServerHello")
                + " at packet " + side.lastFrame + ": " + e.getMessage(), null, null);
        }
    }

    /** A direction being read record by record. */
    private static final class Side
    {
        private final DirectionStream stream;
        private final String name;
        private final HandshakeMessages plainMessages = new HandshakeMessages();
        private final ArrayDeque<HandshakeMessages.Message> queued = new ArrayDeque<>();
        private int index;
        private int handshakeRecords;
        private long lastFrame;

        Side(final DirectionStream stream, final String name)
        {
            this.stream = stream;
            this.name = name;
        }

        int peekType()
        {
            final List<DirectionStream.Item> items = stream.items();
            return index < items.size() && items.get(index).kind() == DirectionStream.Kind.RECORD
                ? items.get(index).contentType() : -1;
        }

        DirectionStream.Item nextRecord()
        {
            final List<DirectionStream.Item> items = stream.items();
            if (index >= items.size())
            {
                throw new Failure(Status.FAILED, "the capture ends before the " + name + "'s handshake does ("
                    + stream + ")", null, null);
            }
            final DirectionStream.Item item = items.get(index++);
            lastFrame = stream.frameAt(item.streamOffset());
            if (item.kind() == DirectionStream.Kind.INCOMPLETE)
            {
                throw new Failure(Status.FAILED, "a " + name + " handshake record (" + stream + ", packet "
                    + lastFrame + ", tcp seq " + stream.seqAt(item.streamOffset()) + ") is incomplete: "
                    + item.reason(), null, null);
            }
            if (item.kind() == DirectionStream.Kind.NOT_TLS)
            {
                throw new Failure(Status.NOT_TLS, "the " + name + "'s bytes at packet " + lastFrame
                    + " are not a TLS record", null, null);
            }
            return item;
        }

        /** @return the next message of the plaintext handshake (records of type 22 before ChangeCipherSpec). */
        HandshakeMessages.Message nextPlainMessage()
        {
            while (queued.isEmpty())
            {
                final DirectionStream.Item item = nextRecord();
                if (item.contentType() == TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC && peekType() != -1
                    && peekType() == TlsRecordHeader.CONTENT_TYPE_HANDSHAKE)
                {
                    handshakeRecords++;
                    continue; // TLS 1.3 compatibility mode between a HelloRetryRequest and the ServerHello
                }
                if (item.contentType() != TlsRecordHeader.CONTENT_TYPE_HANDSHAKE)
                {
                    throw new Failure(Status.FAILED, "the " + name + "'s plaintext handshake stops at packet "
                        + lastFrame + " with a " + TlsRecordHeader.contentTypeName(item.contentType())
                        + " record before the expected message", null, null);
                }
                handshakeRecords++;
                queued.addAll(plainMessages.feed(item.record(), TlsRecordHeader.HEADER_LENGTH,
                    item.recordLength() - TlsRecordHeader.HEADER_LENGTH));
            }
            return queued.poll();
        }
    }

    /** Ends the handshake walk with a status and one line. */
    private static final class Failure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        private final transient Status status;
        private final transient TlsVersion version;
        private final transient CipherSuite suite;

        Failure(final Status status, final String message, final TlsVersion version, final CipherSuite suite)
        {
            super(message, null, false, false);
            this.status = status;
            this.version = version;
            this.suite = suite;
        }
    }
}
