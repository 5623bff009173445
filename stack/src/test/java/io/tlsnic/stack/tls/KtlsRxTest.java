package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;

/**
 * RX semantics (tls_sw.c recvmsg; tls.rst "Receiving"; selftests tls.c recv_*, peek_*, control_*, zero_len_*, and
 * tls_err). Records come from a raw peer, sealed by hand, and arrive re-chunked at random boundaries.
 */
class KtlsRxTest
{
    private static final int MAX = 1 << 14;

    private static KtlsFixture fixture(final Suite suite, final long seed)
    {
        return KtlsFixture.withRawPeer(suite, seed, PipeTransport.Chunker.random(seed, 3000));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldReadSeveralDataRecordsIntoOneLargeBuffer(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 31);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] data = f.randomBytes(1 + 100 + MAX);
        peer.send(23, Arrays.copyOfRange(data, 0, 1));
        peer.send(23, Arrays.copyOfRange(data, 1, 101));
        peer.send(23, Arrays.copyOfRange(data, 101, data.length));
        f.pump();
        final byte[] buf = new byte[3 * MAX];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        assertEquals(data.length, f.a.recvmsg(buf, 0, buf.length, 0, cmsg));
        assertEquals(Ktls.RECORD_TYPE_DATA, cmsg.recordType());
        assertArrayEquals(data, Arrays.copyOf(buf, data.length));
        assertErrno(Errno.EAGAIN, () -> f.a.recv(buf, 0, buf.length, Ktls.MSG_DONTWAIT));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldLeaveRestOfRecordForLaterReads(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 32);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] data = f.randomBytes(1000);
        peer.send(23, data);
        f.pump();
        final byte[] buf = new byte[300];
        final byte[] got = new byte[1000];
        int at = 0;
        for (final int expected : new int[] {300, 300, 300, 100})
        {
            final int n = f.a.recv(buf, 0, buf.length, 0);
            assertEquals(expected, n);
            System.arraycopy(buf, 0, got, at, n);
            at += n;
        }
        assertArrayEquals(data, got);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldPeekAcrossDataRecordsButNotIntoAnotherType(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 33);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] a = f.randomBytes(10);
        final byte[] b = f.randomBytes(20);
        peer.send(23, a);
        peer.send(23, b);
        peer.send(21, new byte[] {1, 0});
        peer.send(23, new byte[] {9, 9, 9});
        f.pump();
        final byte[] buf = new byte[100];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        assertEquals(30, f.a.recvmsg(buf, 0, 100, Ktls.MSG_PEEK, cmsg));
        assertEquals(30, f.a.recvmsg(buf, 0, 100, Ktls.MSG_PEEK, cmsg));
        assertEquals(5, f.a.recv(buf, 0, 5, 0));
        assertEquals(25, f.a.recv(buf, 0, 100, Ktls.MSG_PEEK));
        assertEquals(25, f.a.recv(buf, 0, 100, 0));
        assertArrayEquals(Arrays.copyOfRange(b, 0, 20), Arrays.copyOfRange(buf, 5, 25));
        assertEquals(2, f.a.recvmsg(buf, 0, 100, Ktls.MSG_PEEK, cmsg));
        assertEquals(Ktls.RECORD_TYPE_ALERT, cmsg.recordType());
        assertEquals(2, f.a.recvmsg(buf, 0, 100, 0, cmsg));
        assertEquals(3, f.a.recvmsg(buf, 0, 100, 0, cmsg));
        assertEquals(Ktls.RECORD_TYPE_DATA, cmsg.recordType());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldReturnEagainUntilWholeRecordArrives(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 34);
        final byte[] buf = new byte[100];
        assertErrno(Errno.EAGAIN, () -> f.a.recv(buf, 0, 100, Ktls.MSG_DONTWAIT));
        final byte[] record = f.rawSender().seal(23, new byte[] {5, 6, 7}, 0);
        f.rawB.send(record, 0, record.length - 1);
        f.pump();
        assertErrno(Errno.EAGAIN, "partly framed", () -> f.a.recv(buf, 0, 100, Ktls.MSG_DONTWAIT));
        f.rawB.send(record, record.length - 1, 1);
        f.pump();
        assertEquals(3, f.a.recv(buf, 0, 100, Ktls.MSG_DONTWAIT));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldRequireCmsgForControlRecordsAndNeverMergeThemWithData(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 35);
        final KtlsFixture.RawSender peer = f.rawSender();
        peer.send(23, new byte[] {1, 2});
        peer.send(22, new byte[] {3, 4, 5});
        peer.send(22, new byte[] {6});
        peer.send(23, new byte[] {7});
        f.pump();
        final byte[] buf = new byte[100];
        assertEquals(2, f.a.recv(buf, 0, 100, 0));
        assertErrno(Errno.EIO, "without a cmsg buffer", () -> f.a.recv(buf, 0, 100, 0));
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        assertEquals(3, f.a.recvmsg(buf, 0, 100, 0, cmsg), "one control record per call");
        assertEquals(Ktls.RECORD_TYPE_HANDSHAKE, cmsg.recordType());
        assertEquals(1, f.a.recvmsg(buf, 0, 100, 0, cmsg));
        assertEquals(6, buf[0]);
        assertEquals(1, f.a.recvmsg(buf, 0, 100, 0, cmsg));
        assertEquals(Ktls.RECORD_TYPE_DATA, cmsg.recordType());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldHandleZeroLengthRecords(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 36);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] buf = new byte[100];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        peer.send(23, new byte[0]);
        f.pump();
        assertErrno(Errno.EAGAIN, () -> f.a.recv(buf, 0, 100, Ktls.MSG_DONTWAIT));
        peer.send(23, new byte[0]);
        peer.send(23, new byte[] {42});
        peer.send(23, new byte[0]);
        peer.send(21, new byte[0]);
        f.pump();
        assertEquals(1, f.a.recv(buf, 0, 100, Ktls.MSG_PEEK));
        assertEquals(1, f.a.recvmsg(buf, 0, 100, 0, cmsg));
        assertEquals(42, buf[0]);
        assertErrno(Errno.EIO, () -> f.a.recv(buf, 0, 100, 0));
        assertEquals(0, f.a.recvmsg(buf, 0, 100, 0, cmsg), "empty control message");
        assertEquals(Ktls.RECORD_TYPE_ALERT, cmsg.recordType());
        assertErrno(Errno.EAGAIN, () -> f.a.recvmsg(buf, 0, 100, 0, cmsg));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldReturnEofAfterPeerFinOnceDataIsRead(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 37);
        f.rawSender().send(23, new byte[] {1, 2, 3});
        f.rawB.shutdownOutput();
        f.pump();
        final byte[] buf = new byte[100];
        assertEquals(3, f.a.recv(buf, 0, 100, 0));
        assertEquals(0, f.a.recv(buf, 0, 100, 0));
        assertEquals(0, f.a.recv(buf, 0, 100, 0));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldDeliverGoodRecordsThenStickyEbadmsgOnFlippedTag(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 38);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] good = f.randomBytes(3000);
        peer.send(23, Arrays.copyOfRange(good, 0, 1000));
        peer.send(23, Arrays.copyOfRange(good, 1000, 3000));
        final byte[] bad = peer.seal(23, new byte[] {1, 2, 3}, 0);
        bad[bad.length - 1] ^= 1;
        peer.write(bad);
        peer.send(23, new byte[] {4});
        f.pump();
        final byte[] buf = new byte[10_000];
        assertEquals(3000, f.a.recv(buf, 0, buf.length, 0));
        assertArrayEquals(good, Arrays.copyOf(buf, 3000));
        assertErrno(Errno.EBADMSG, "authentication failed", () -> f.a.recv(buf, 0, buf.length, 0));
        assertErrno(Errno.EBADMSG, () -> f.a.recv(buf, 0, buf.length, 0));
        assertEquals(1, f.counters.get(TlsStat.TLS_DECRYPT_ERROR));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldFailWithEmsgsizeOnGarbageAfterGoodRecords(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 39);
        f.rawSender().send(23, new byte[] {1, 2});
        f.rawB.send(new byte[] {0x17, 3, 3, 0x7F, (byte)0xFF, 1, 2, 3}, 0, 8);
        f.pump();
        final byte[] buf = new byte[100];
        assertEquals(2, f.a.recv(buf, 0, 100, 0));
        assertErrno(Errno.EMSGSIZE, "record length 32767 exceeds", () -> f.a.recv(buf, 0, 100, 0));
        assertErrno(Errno.EMSGSIZE, () -> f.a.recv(buf, 0, 100, 0));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldRefuseTooShortRecordsAndWrongVersion(final Suite suite)
    {
        final KtlsFixture tooShort = fixture(suite, 40);
        tooShort.rawB.send(new byte[] {0x17, 3, 3, 0, 1, 0}, 0, 6);
        tooShort.pump();
        final byte[] buf = new byte[100];
        assertErrno(Errno.EMSGSIZE, "below the minimum", () -> tooShort.a.recv(buf, 0, 100, 0));
        final KtlsFixture badVersion = fixture(suite, 41);
        final byte[] record = badVersion.rawSender().seal(23, new byte[] {1}, 0);
        record[2] = 1;
        badVersion.rawB.send(record, 0, record.length);
        badVersion.pump();
        assertErrno(Errno.EINVAL, "0x0301", () -> badVersion.a.recv(buf, 0, 100, 0));
        assertEquals(1, badVersion.counters.get(TlsStat.TLS_RX_FRAMING_ERROR));
    }

    @ParameterizedTest
    @EnumSource(value = Suite.class, names = "TLS13.*", mode = EnumSource.Mode.MATCH_ANY)
    void shouldStripTls13PaddingAndCountNoPadViolations(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 42);
        f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, new byte[] {1, 0, 0, 0});
        final KtlsFixture.RawSender peer = f.rawSender();
        peer.write(peer.seal(23, new byte[] {1, 2, 3}, 40));
        peer.send(23, new byte[] {4});
        f.pump();
        final byte[] buf = new byte[1000];
        assertEquals(4, f.a.recv(buf, 0, 1000, 0));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOf(buf, 4));
        assertEquals(1, f.counters.get(TlsStat.TLS_RX_NO_PAD_VIOLATION));
        assertEquals(1, f.counters.get(TlsStat.TLS_DECRYPT_RETRY));
    }

    @Test
    void shouldClassifyAndRefuseDeviceMarkedRecordsOnASoftwareSocket()
    {
        final KtlsFixture f = fixture(Suite.TLS12_AES_GCM_128, 43);
        f.rawA.marker(seq -> TcpTransport.MARK_DECRYPTED);
        f.rawSender().send(23, new byte[] {1});
        f.pump();
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> f.a.recv(new byte[10], 0, 10, 0));
        assertTrue(e.getMessage().contains("DEVICE-decrypted"), e.getMessage());
        assertEquals(1, f.counters.get(TlsStat.TLS_RX_RECORD_DEVICE));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldDeliverRecordNumberedTwoTo64MinusOneThenFailWithEbadmsg(final Suite suite)
    {
        final TlsCounters counters = new TlsCounters();
        final PipeTransport[] pipe = PipeTransport.pair(1 << 20, PipeTransport.Chunker.fixed(7));
        final Random random = new Random(44);
        final CryptoInfo rx = suite.randomInfo(random, -1L);
        final KtlsSocket a = new KtlsSocket(pipe[0], counters);
        KtlsFixture.install(a, suite.randomInfo(random, 0), rx);
        final KtlsFixture.RawSender peer = new KtlsFixture.RawSender(rx, pipe[1]);
        peer.send(23, new byte[] {1});
        peer.send(23, new byte[] {2});
        PipeTransport.pump(pipe[0], pipe[1]);
        final byte[] buf = new byte[10];
        assertEquals(1, a.recv(buf, 0, 10, 0));
        assertErrno(Errno.EBADMSG, "wrapped", () -> a.recv(buf, 0, 10, 0));
    }
}
