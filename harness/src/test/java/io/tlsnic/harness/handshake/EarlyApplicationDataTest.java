package io.tlsnic.harness.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The side that completes the handshake first (TLS 1.2: the server, after its Finished; TLS 1.3: the client, after
 * its Finished) hands over to kTLS and sends application records at once; they reach the other side's TCP queue
 * together with that last handshake flight, before the other side's library has read it. None of them is lost:
 * read one record at a time they stay in TCP for kTLS; read ahead, the library decrypts them, the session hands
 * them out first and the RX record number counts them.
 */
class EarlyApplicationDataTest
{
    private static final int RECORDS = 3;
    private static final int RECORD_BYTES = 1000;

    static Stream<Arguments> cases()
    {
        return Stream.of(TlsVersion.values()).flatMap(v -> Stream.of(ReadPolicy.values()).map(p -> Arguments.of(v, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void shouldNotLoseApplicationRecordsQueuedBehindTheLastHandshakeRecord(final TlsVersion v, final ReadPolicy policy)
        throws Exception
    {
        final long seed = 4242 + v.code() + policy.ordinal();
        final TlsCipher c = TlsCipher.AES_GCM_128;
        final TlsPair pair = new TlsPair(LinkFaults.none(), seed);
        final boolean serverFirst = v == TlsVersion.TLS_1_2;
        final HandshakeOptions lateOptions = HandshakeOptions.of(v, c, seed).withReadPolicy(policy);
        final HandshakeOptions earlyOptions = HandshakeOptions.of(v, c, seed + 1);
        final TlsHandshake[] sides = pair.start(serverFirst ? lateOptions : earlyOptions,
            serverFirst ? earlyOptions : lateOptions);
        final TlsHandshake early = sides[serverFirst ? 1 : 0];
        final TlsHandshake late = sides[serverFirst ? 0 : 1];
        final KtlsSocket earlySocket = serverFirst ? pair.serverSocket : pair.clientSocket;
        final KtlsSocket lateSocket = serverFirst ? pair.clientSocket : pair.serverSocket;
        final TcpConnection earlyConnection = serverFirst ? pair.serverConnection : pair.clientConnection;
        final TcpConnection lateConnection = serverFirst ? pair.clientConnection : pair.serverConnection;

        assertTrue(pair.runUntil(() ->
        {
            sides[0].doWork();
            sides[1].doWork();
            return early.isDone();
        }, 60 * TlsPair.SECOND));
        assertFalse(late.isDone(), "the other side has not read the last handshake flight yet");
        final KtlsSession earlySession = early.result().install(earlySocket);
        final byte[] sent = new byte[RECORDS * RECORD_BYTES];
        new SplittableRandom(seed).nextBytes(sent);
        for (int i = 0; i < RECORDS; i++)
        {
            assertEquals(RECORD_BYTES, earlySession.send(sent, i * RECORD_BYTES, RECORD_BYTES));
        }
        assertTrue(pair.runUntil(() -> TlsPair.allAcked(earlyConnection), pair.scheduler.nowNs() + 10 * TlsPair.SECOND));
        final int queued = lateConnection.readableBytes();

        assertTrue(pair.runUntil(() ->
        {
            late.doWork();
            return late.isDone();
        }, pair.scheduler.nowNs() + 10 * TlsPair.SECOND));
        final HandshakeResult lateResult = late.result();
        final long firstDataRecord = v == TlsVersion.TLS_1_2 ? 1 : 0;
        if (policy == ReadPolicy.RECORD_AT_A_TIME)
        {
            assertEquals(0, lateResult.earlyApplicationData().length);
            assertEquals(firstDataRecord, lateResult.rxInfo().recSeq());
            assertTrue(lateConnection.readableBytes() > sent.length, "the data records wait in TCP for kTLS");
        }
        else
        {
            assertArrayEquals(sent, lateResult.earlyApplicationData());
            assertEquals(firstDataRecord + RECORDS, lateResult.rxInfo().recSeq());
            assertEquals(0, lateConnection.readableBytes(), "the library read all " + queued + " queued bytes");
        }

        final KtlsSession lateSession = lateResult.install(lateSocket);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final byte[] buffer = new byte[4096];
        assertTrue(pair.runUntil(() ->
        {
            try
            {
                int n;
                while ((n = lateSession.recv(buffer, 0, buffer.length)) > 0)
                {
                    received.write(buffer, 0, n);
                }
            }
            catch (final java.io.IOException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
            return received.size() >= sent.length;
        }, pair.scheduler.nowNs() + 10 * TlsPair.SECOND));
        assertArrayEquals(sent, received.toByteArray());

        final KtlsSession clientSession = serverFirst ? lateSession : earlySession;
        final KtlsSession serverSession = serverFirst ? earlySession : lateSession;
        pair.transfer(clientSession, serverSession, 256 << 10, 256 << 10, seed, null);
    }
}
