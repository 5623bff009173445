package io.tlsnic.harness.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.RecordTypeCmsg;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/** TLS 1.3 KeyUpdate on kTLS sockets after a Bouncy Castle handshake. */
class KeyUpdateTest
{
    private static KtlsSession[] connect(final TlsPair pair, final TlsCipher c, final long seed) throws Exception
    {
        final TlsHandshake[] sides = pair.start(HandshakeOptions.of(TlsVersion.TLS_1_3, c, seed),
            HandshakeOptions.of(TlsVersion.TLS_1_3, c, seed + 1));
        assertTrue(pair.handshake(sides[0], sides[1], 60 * TlsPair.SECOND));
        return new KtlsSession[] {sides[0].result().install(pair.clientSocket),
            sides[1].result().install(pair.serverSocket)};
    }

    @ParameterizedTest
    @EnumSource(value = TlsCipher.class, names = {"AES_GCM_128", "AES_GCM_256", "CHACHA20_POLY1305"})
    void shouldRekeyBothWaysMidTransferWithPlaintextExact(final TlsCipher c) throws Exception
    {
        final long seed = 77 + c.id();
        final TlsPair pair = new TlsPair(LinkFaults.none(), seed);
        final KtlsSession[] s = connect(pair, c, seed);
        final boolean[] sent = new boolean[2];
        pair.transfer(s[0], s[1], 4 << 20, 4 << 20, seed, () ->
        {
            sent[0] = sent[0] || s[0].sendKeyUpdate(false);
            // update_requested: the client answers with a KeyUpdate of its own.
            sent[1] = sent[1] || s[1].sendKeyUpdate(true);
            return sent[0] && sent[1];
        });
        assertEquals(2, s[0].txGeneration(), "client: its own update and the answer");
        assertEquals(1, s[0].rxGeneration());
        assertEquals(1, s[1].txGeneration());
        assertEquals(2, s[1].rxGeneration());
        assertEquals(3, pair.counters.get(TlsStat.TLS_TX_REKEY_OK));
        assertEquals(3, pair.counters.get(TlsStat.TLS_RX_REKEY_OK));
    }

    @ParameterizedTest
    @EnumSource(value = TlsCipher.class, names = {"AES_GCM_128", "AES_GCM_256", "CHACHA20_POLY1305"})
    void shouldFailWithEkeyexpiredAfterTheKeyUpdateUntilTheNextRxKeyIsInstalled(final TlsCipher c) throws Exception
    {
        final long seed = 91 + c.id();
        final TlsPair pair = new TlsPair(LinkFaults.none(), seed);
        final KtlsSession[] s = connect(pair, c, seed);
        final byte[] before = "under secret 0".getBytes(StandardCharsets.US_ASCII);
        final byte[] after = "under secret 1".getBytes(StandardCharsets.US_ASCII);
        assertEquals(before.length, s[0].send(before, 0, before.length));
        assertTrue(s[0].sendKeyUpdate(false));
        assertEquals(after.length, s[0].send(after, 0, after.length));
        assertTrue(pair.runUntil(() -> TlsPair.allAcked(pair.clientConnection), pair.scheduler.nowNs() + 10 * TlsPair.SECOND));

        final byte[] buffer = new byte[64];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        final var socket = pair.serverSocket;
        assertArrayEquals(before, Arrays.copyOf(buffer, socket.recvmsg(buffer, 0, buffer.length, 0, cmsg)));
        assertEquals(Ktls.RECORD_TYPE_DATA, cmsg.recordType());
        final int n = socket.recvmsg(buffer, 0, buffer.length, 0, cmsg);
        assertEquals(Ktls.RECORD_TYPE_HANDSHAKE, cmsg.recordType());
        assertArrayEquals(new byte[] {24, 0, 0, 1, 0}, Arrays.copyOf(buffer, n), "KeyUpdate, update_not_requested");
        final TlsErrnoException expired =
            assertThrows(TlsErrnoException.class, () -> socket.recv(buffer, 0, buffer.length, Ktls.MSG_DONTWAIT));
        assertEquals(Errno.EKEYEXPIRED, expired.errno());
        s[1].installNextRxKey();
        assertArrayEquals(after, Arrays.copyOf(buffer, s[1].recv(buffer, 0, buffer.length)));
    }
}
