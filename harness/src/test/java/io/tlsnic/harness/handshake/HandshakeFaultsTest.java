package io.tlsnic.harness.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.stack.tcp.TcpCounter;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** Handshakes on a lossy wire, and handshakes that must fail with a message that says why. */
class HandshakeFaultsTest
{
    private static final TlsCipher[] CIPHERS = {TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256, TlsCipher.CHACHA20_POLY1305};

    @ParameterizedTest(name = "loss {0}%")
    @ValueSource(doubles = {2.0, 3.5, 5.0})
    void shouldCompleteTheHandshakeAndHandOverUnderSeededLoss(final double lossPercent) throws Exception
    {
        long dropped = 0;
        long handshakeRetransmissions = 0;
        for (int seed = 0; seed < 24; seed++)
        {
            final TlsVersion v = TlsVersion.values()[seed % 2];
            final TlsCipher c = CIPHERS[(seed / 2) % 3];
            final TlsPair pair = new TlsPair(new LinkFaults(lossPercent, 0, 0, 0, seed), seed);
            final TlsHandshake[] sides =
                pair.start(HandshakeOptions.of(v, c, seed), HandshakeOptions.of(v, c, seed + 1000));
            assertTrue(pair.handshake(sides[0], sides[1], 3600 * TlsPair.SECOND), "handshake done, seed " + seed);
            assertNull(sides[0].failure(), "seed " + seed);
            assertNull(sides[1].failure(), "seed " + seed);
            handshakeRetransmissions += pair.clientConnection.counters().get(TcpCounter.RETRANS_SEGS)
                + pair.serverConnection.counters().get(TcpCounter.RETRANS_SEGS);
            pair.transfer(sides[0].result().install(pair.clientSocket), sides[1].result().install(pair.serverSocket),
                64 << 10, 64 << 10, seed, null);
            dropped += pair.wire.framesDropped();
        }
        assertTrue(dropped > 24, "frames dropped over 24 seeds: " + dropped);
        assertTrue(handshakeRetransmissions > 0, "TCP retransmissions during the handshakes");
    }

    @Test
    void shouldFailClearlyWhenTheServerRefusesEveryOfferedCipher()
    {
        final TlsPair pair = new TlsPair(LinkFaults.none(), 5);
        final TlsHandshake[] sides = pair.start(HandshakeOptions.of(TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, 5),
            HandshakeOptions.of(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 6));
        assertTrue(pair.handshake(sides[0], sides[1], 60 * TlsPair.SECOND));
        final HandshakeException client = assertThrows(HandshakeException.class, sides[0]::result);
        final HandshakeException server = assertThrows(HandshakeException.class, sides[1]::result);
        assertEquals("CLIENT TLS 1.3 handshake offering [ChaCha20-Poly1305] failed: the peer sent alert "
            + "handshake_failure(40)", client.getMessage());
        assertTrue(server.getMessage().startsWith("SERVER TLS 1.3 handshake offering [AES-128-GCM] failed: it sent "
            + "alert handshake_failure(40)"), server.getMessage());
    }

    @Test
    void shouldFailClearlyWhenTheServerCertificateIsNotTheTrustedOne()
    {
        final TlsPair pair = new TlsPair(LinkFaults.none(), 8);
        final SelfSignedCertificate other = SelfSignedCertificate.ecdsaP256("other", HandshakeOptions.seededRandom(99));
        final TlsHandshake client = TlsHandshake.client(pair.clientSocket,
            HandshakeOptions.of(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 8), TlsHandshakeTest.CERTIFICATE.sha256Fingerprint());
        final TlsHandshake server = TlsHandshake.server(pair.serverSocket,
            HandshakeOptions.of(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 9), other);
        assertTrue(pair.handshake(client, server, 60 * TlsPair.SECOND));
        assertNotNull(client.failure());
        assertTrue(client.failure().getMessage().contains("it sent alert bad_certificate(42); server certificate SHA-256 "),
            client.failure().getMessage());
        assertTrue(server.failure().getMessage().endsWith("the peer sent alert bad_certificate(42)"),
            server.failure().getMessage());
    }

    @Test
    void shouldFailClearlyWhenTheVersionsDoNotMeet()
    {
        final TlsPair pair = new TlsPair(LinkFaults.none(), 10);
        final TlsHandshake[] sides = pair.start(HandshakeOptions.of(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 10),
            new HandshakeOptions(TlsVersion.TLS_1_2, List.of(TlsCipher.AES_GCM_128), ReadPolicy.RECORD_AT_A_TIME, null,
                HandshakeOptions.seededRandom(11)));
        assertTrue(pair.handshake(sides[0], sides[1], 60 * TlsPair.SECOND));
        assertTrue(sides[0].failure().getMessage().contains("protocol_version(70)"), sides[0].failure().getMessage());
        assertTrue(sides[1].failure().getMessage().contains("protocol_version(70)"), sides[1].failure().getMessage());
    }

    @Test
    void shouldFailClearlyWhenThePeerClosesDuringTheHandshake()
    {
        final TlsPair pair = new TlsPair(LinkFaults.none(), 12);
        final TlsHandshake client = TlsHandshake.client(pair.clientSocket,
            HandshakeOptions.of(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 12), TlsHandshakeTest.CERTIFICATE.sha256Fingerprint());
        pair.serverConnection.close();
        assertTrue(pair.runUntil(() ->
        {
            client.doWork();
            return client.isDone();
        }, 60 * TlsPair.SECOND));
        assertEquals("CLIENT: the peer closed the connection during the TLS 1.3 handshake", client.failure().getMessage());
    }
}
