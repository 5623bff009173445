package io.tlsnic.harness.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.keys.HashAlgorithm;
import io.tlsnic.wire.keys.KeyLog;
import io.tlsnic.wire.keys.KeyLogWriter;
import io.tlsnic.wire.keys.Tls12Prf;
import io.tlsnic.wire.keys.Tls13KeySchedule;
import io.tlsnic.wire.keys.TrafficKeys;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The key log written for a connection is enough, with a capture of it, to open its records: handshake records
 * (TLS 1.3 handshake traffic secrets; TLS 1.2 Finished) and the first record kTLS sent after the hand-over. Keys are
 * derived here from the log and the captured ServerHello only.
 */
class KeyLogTest
{
    private static final int HANDSHAKE = 22;
    private static final int SERVER_HELLO = 2;

    static Stream<Arguments> matrix()
    {
        return TlsHandshakeTest.matrix();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void shouldWriteAKeyLogThatOpensHandshakeAndKtlsRecords(final TlsVersion v, final TlsCipher c) throws Exception
    {
        final long seed = 900 + v.code() + c.id();
        final TlsPair pair = new TlsPair(LinkFaults.none(), seed);
        final StringWriter log = new StringWriter();
        final TlsHandshake[] sides = pair.start(
            HandshakeOptions.of(v, c, seed).withKeyLog(new KeyLogWriter(log)), HandshakeOptions.of(v, c, seed + 1));
        assertTrue(pair.handshake(sides[0], sides[1], 60 * TlsPair.SECOND));
        final HandshakeResult client = sides[0].result();
        final HandshakeResult server = sides[1].result();
        assertTrue(server.keyLogLabels().isEmpty(), "the server was not asked for a key log");
        final KeyLog keyLog = KeyLog.parse(log.toString());
        assertTrue(keyLog.problems().isEmpty(), keyLog.problems().toString());
        assertEquals(v == TlsVersion.TLS_1_2 ? List.of(KeyLog.CLIENT_RANDOM) : List.of(
            KeyLog.CLIENT_HANDSHAKE_TRAFFIC_SECRET, KeyLog.SERVER_HANDSHAKE_TRAFFIC_SECRET,
            KeyLog.CLIENT_TRAFFIC_SECRET_0, KeyLog.SERVER_TRAFFIC_SECRET_0, KeyLog.EXPORTER_SECRET),
            client.keyLogLabels());
        assertEquals(client.keyLogLabels().size(), keyLog.size());

        final List<byte[]> fromServer = client.recordsRead();
        final byte[] serverHello = fromServer.get(0);
        assertEquals(HANDSHAKE, serverHello[0]);
        assertEquals(SERVER_HELLO, serverHello[5]);
        final byte[] clientRandom = client.clientRandom();
        final byte[] serverRandom = Arrays.copyOfRange(serverHello, 11, 43);
        final int sessionIdLength = serverHello[43] & 0xFF;
        final int suite = ((serverHello[44 + sessionIdLength] & 0xFF) << 8) | (serverHello[45 + sessionIdLength] & 0xFF);
        final TlsCipher cipher = BcSuites.cipherOf(suite);
        assertEquals(c, cipher);

        final TrafficKeys clientAppKeys;
        final long firstDataRecord;
        if (v == TlsVersion.TLS_1_3)
        {
            // The server's first protected record is EncryptedExtensions (handshake message 8).
            final TrafficKeys serverHandshake = Tls13KeySchedule.trafficKeys(cipher,
                keyLog.secret(KeyLog.SERVER_HANDSHAKE_TRAFFIC_SECRET, clientRandom).orElseThrow());
            final byte[] encryptedExtensions = fromServer.stream().filter(r -> r[0] == 23).findFirst().orElseThrow();
            final byte[] opened = open(v, cipher, serverHandshake, 0, encryptedExtensions);
            assertEquals(8, opened[0], "EncryptedExtensions");
            clientAppKeys = Tls13KeySchedule.trafficKeys(cipher,
                keyLog.secret(KeyLog.CLIENT_TRAFFIC_SECRET_0, clientRandom).orElseThrow());
            firstDataRecord = 0;
        }
        else
        {
            final Tls12Prf.KeyBlock block = Tls12Prf.keyBlock(HashAlgorithm.forCipher(cipher), cipher,
                keyLog.secret(KeyLog.CLIENT_RANDOM, clientRandom).orElseThrow(), clientRandom, serverRandom);
            clientAppKeys = block.client();
            // The client's record after its ChangeCipherSpec is its Finished (handshake message 20), record 0.
            final List<byte[]> sent = client.recordsSent();
            final byte[] finished = sent.get(sent.size() - 1);
            assertEquals(20, sent.get(sent.size() - 2)[0], "ChangeCipherSpec before Finished");
            assertEquals(20, open(v, cipher, clientAppKeys, 0, finished)[0], "Finished");
            firstDataRecord = 1;
        }

        final KtlsSession clientSession = client.install(pair.clientSocket);
        server.install(pair.serverSocket);
        final byte[] message = "opened with keys from the key log".getBytes(StandardCharsets.US_ASCII);
        assertEquals(message.length, clientSession.send(message, 0, message.length));
        assertTrue(pair.runUntil(() -> TlsPair.allAcked(pair.clientConnection), pair.scheduler.nowNs() + 10 * TlsPair.SECOND));
        final byte[] captured = TlsPair.peekQueue(pair.serverConnection);
        assertArrayEquals(message, open(v, cipher, clientAppKeys, firstDataRecord, captured));
    }

    private static byte[] open(final TlsVersion v, final TlsCipher cipher, final TrafficKeys keys, final long seq,
        final byte[] record)
    {
        final io.tlsnic.wire.tls.CryptoInfo info = keys.toCryptoInfo(v, cipher, seq);
        final RecordCipher opener = new RecordCipher(v, cipher, info.key(), info.salt(), info.iv(), seq);
        final byte[] out = new byte[record.length];
        final int n = opener.open(seq, record, 0, record.length, out, 0);
        return Arrays.copyOf(out, n);
    }
}
