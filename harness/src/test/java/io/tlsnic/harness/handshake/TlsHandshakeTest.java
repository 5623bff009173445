package io.tlsnic.harness.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** A Bouncy Castle handshake on two hosts, the hand-over to kTLS, and 4 MiB each way through kTLS. */
class TlsHandshakeTest
{
    static final SelfSignedCertificate CERTIFICATE =
        SelfSignedCertificate.ecdsaP256("tlsnic test", HandshakeOptions.seededRandom(7));

    static Stream<Arguments> matrix()
    {
        return Stream.of(TlsVersion.values()).flatMap(v -> Stream.of(
            TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256, TlsCipher.CHACHA20_POLY1305).map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void shouldHandOverToKtlsAndCarry4MiBEachWayWithIdenticalPlaintext(final TlsVersion v, final TlsCipher c)
        throws Exception
    {
        final long seed = v.code() * 64L + c.id();
        final TlsPair pair = new TlsPair(LinkFaults.none(), seed);
        final TlsHandshake client =
            TlsHandshake.client(pair.clientSocket, HandshakeOptions.of(v, c, seed), CERTIFICATE.sha256Fingerprint());
        final TlsHandshake server =
            TlsHandshake.server(pair.serverSocket, HandshakeOptions.of(v, c, seed + 1), CERTIFICATE);
        assertTrue(pair.handshake(client, server, 60 * TlsPair.SECOND), "handshake done");
        assertNull(client.failure());
        assertNull(server.failure());
        final HandshakeResult clientResult = client.result();
        final HandshakeResult serverResult = server.result();
        assertEquals(v, clientResult.version());
        assertEquals(c, clientResult.cipher());
        assertEquals(clientResult.txInfo(), serverResult.rxInfo());
        assertEquals(clientResult.rxInfo(), serverResult.txInfo());
        // What Bouncy Castle did: TLS 1.2 Finished is record 0 under the new keys; TLS 1.3 sends nothing under the
        // application keys (no NewSessionTicket).
        final long expectedRecord = v == TlsVersion.TLS_1_2 ? 1 : 0;
        assertEquals(expectedRecord, clientResult.txInfo().recSeq());
        assertEquals(expectedRecord, clientResult.rxInfo().recSeq());
        assertTrue(clientResult.keyLogLabels().isEmpty(), "no key log unless asked");

        final KtlsSession clientSession = clientResult.install(pair.clientSocket);
        final KtlsSession serverSession = serverResult.install(pair.serverSocket);
        pair.transfer(clientSession, serverSession, 4 << 20, 4 << 20, seed, null);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void shouldProduceTheSameHandshakeBytesForTheSameSeeds(final TlsVersion v, final TlsCipher c)
    {
        final List<List<byte[]>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++)
        {
            final TlsPair pair = new TlsPair(LinkFaults.none(), 3);
            final TlsHandshake[] sides = pair.start(HandshakeOptions.of(v, c, 3), HandshakeOptions.of(v, c, 4));
            assertTrue(pair.handshake(sides[0], sides[1], 60 * TlsPair.SECOND));
            final List<byte[]> records = new ArrayList<>();
            for (final TlsHandshake side : sides)
            {
                records.addAll(assertDoesNotThrow(side::result).recordsSent());
            }
            runs.add(records);
        }
        assertEquals(runs.get(0).size(), runs.get(1).size());
        for (int i = 0; i < runs.get(0).size(); i++)
        {
            assertArrayEquals(runs.get(0).get(i), runs.get(1).get(i), "record " + i);
        }
    }
}
