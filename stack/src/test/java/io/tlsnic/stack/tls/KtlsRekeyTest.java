package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.keys.HashAlgorithm;
import io.tlsnic.wire.keys.Tls13KeySchedule;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;

/**
 * TLS 1.3 KeyUpdate (tls.rst "TLS 1.3 Key Updates"; selftests tls.c rekey*): the receiver gets the KeyUpdate as a
 * handshake record, then EKEYEXPIRED until the new TLS_RX, then data under the new key. Keys follow RFC 8446 §7.2.
 */
class KtlsRekeyTest
{
    /** key_update, length 1, update_not_requested (the selftests' key_update_msg). */
    private static final byte[] KEY_UPDATE = {24, 0, 0, 1, 0};

    @ParameterizedTest
    @EnumSource(value = Suite.class, names = "TLS13.*", mode = EnumSource.Mode.MATCH_ANY)
    void shouldPauseReadsAfterKeyUpdateUntilNewRxKey(final Suite suite)
    {
        final Random random = new Random(51);
        final HashAlgorithm hash = HashAlgorithm.forCipher(suite.cipher);
        final byte[] secret0 = new byte[hash.length()];
        random.nextBytes(secret0);
        final byte[] secret1 = Tls13KeySchedule.nextTrafficSecret(hash, secret0);
        final CryptoInfo keys0 = Tls13KeySchedule.trafficKeys(suite.cipher, secret0)
            .toCryptoInfo(suite.version, suite.cipher, 0);
        final CryptoInfo keys1 = Tls13KeySchedule.trafficKeys(suite.cipher, secret1)
            .toCryptoInfo(suite.version, suite.cipher, 0);
        final CryptoInfo reverse = suite.randomInfo(random, 0);

        final TlsCounters counters = new TlsCounters();
        final PipeTransport[] pipe = PipeTransport.pair(1 << 20, PipeTransport.Chunker.random(51, 500));
        final KtlsSocket a = new KtlsSocket(pipe[0], counters);
        final KtlsSocket b = new KtlsSocket(pipe[1], counters);
        KtlsFixture.install(a, keys0, reverse);
        KtlsFixture.install(b, reverse, keys0);

        final byte[] before = "before".getBytes(StandardCharsets.US_ASCII);
        final byte[] after = "after the update".getBytes(StandardCharsets.US_ASCII);
        a.send(before, 0, before.length, 0);
        assertEquals(KEY_UPDATE.length, a.sendmsg(KEY_UPDATE, 0, KEY_UPDATE.length, 0, Ktls.RECORD_TYPE_HANDSHAKE));
        a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, keys1.toBytes());
        a.send(after, 0, after.length, 0);
        PipeTransport.pump(pipe[0], pipe[1]);

        final byte[] buf = new byte[100];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        assertEquals(before.length, b.recv(buf, 0, buf.length, 0), "data stops at the handshake record");
        assertEquals(KEY_UPDATE.length, b.recvmsg(buf, 0, buf.length, 0, cmsg));
        assertEquals(Ktls.RECORD_TYPE_HANDSHAKE, cmsg.recordType());
        assertArrayEquals(KEY_UPDATE, Arrays.copyOf(buf, KEY_UPDATE.length));
        assertEquals(1, counters.get(TlsStat.TLS_RX_REKEY_RECEIVED));
        assertErrno(Errno.EKEYEXPIRED, () -> b.recv(buf, 0, buf.length, 0));
        assertErrno(Errno.EKEYEXPIRED, () -> b.recvmsg(buf, 0, buf.length, Ktls.MSG_PEEK, cmsg));

        b.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, keys1.toBytes());
        assertEquals(after.length, b.recv(buf, 0, buf.length, 0));
        assertArrayEquals(after, Arrays.copyOf(buf, after.length));
        assertEquals(1, counters.get(TlsStat.TLS_TX_REKEY_OK));
        assertEquals(1, counters.get(TlsStat.TLS_RX_REKEY_OK));
        assertEquals(0, counters.get(TlsStat.TLS_DECRYPT_ERROR));
    }

    @ParameterizedTest
    @EnumSource(value = Suite.class, names = "TLS13.*", mode = EnumSource.Mode.MATCH_ANY)
    void shouldCloseOpenRecordWithOldKeyOnTxRekey(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 52, 1 << 20, PipeTransport.Chunker.whole());
        final CryptoInfo next = suite.randomInfo(f.random, 0);
        f.a.send(new byte[] {1, 2}, 0, 2, Ktls.MSG_MORE);
        f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, next.toBytes());
        f.a.send(new byte[] {3}, 0, 1, 0);
        f.pump();
        final byte[] buf = new byte[10];
        assertEquals(2, f.b.recv(buf, 0, 10, 0));
        // No KeyUpdate was sent, so the receiver decrypts the next record with the old key and fails.
        assertErrno(Errno.EBADMSG, () -> f.b.recv(buf, 0, 10, 0));
    }
}
