package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.Errno;

/**
 * SO_RCVLOWAT and MSG_WAITALL on the RX path (tls_sw_recvmsg: {@code target = sock_rcvlowat(sk, flags & MSG_WAITALL,
 * len)}; selftests tls.c recv_lowat, recv_peek_multiple_records, recv_peek_large_buf_mult_recs, msg_more,
 * multiple_send_single_recv). A blocking call that Linux would put to sleep below its target fails with EAGAIN and
 * consumes nothing; ready records are taken past the target; MSG_DONTWAIT returns what is there.
 */
class KtlsLowWaterMarkTest
{
    private static KtlsFixture fixture(final Suite suite, final long seed)
    {
        return KtlsFixture.withRawPeer(suite, seed, PipeTransport.Chunker.random(seed, 700));
    }

    private static byte[] range(final int from, final int to)
    {
        final byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)(from + i);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldReadAsTheRecvLowatSelftest(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 71, 1 << 20, PipeTransport.Chunker.random(71, 9));
        final byte[] sendMem = range(0, 10);
        assertEquals(10, f.b.send(sendMem, 0, 10, 0));
        assertEquals(5, f.b.send(sendMem, 0, 5, 0));
        f.pump();
        f.a.setRcvLowat(8);
        final byte[] recvMem = new byte[20];
        assertEquals(1, f.a.recv(recvMem, 0, 1, Ktls.MSG_WAITALL));
        assertEquals(6, f.a.recv(recvMem, 1, 6, Ktls.MSG_WAITALL));
        assertEquals(8, f.a.recv(recvMem, 7, 10, 0), "3 left of the first record, then the second record");
        assertArrayEquals(sendMem, Arrays.copyOf(recvMem, 10));
        assertArrayEquals(Arrays.copyOf(sendMem, 5), Arrays.copyOfRange(recvMem, 10, 15));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldMakeBlockingCallWaitBelowLowatAndTakeReadyRecordsPastIt(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 72);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] buf = new byte[100];
        f.a.setRcvLowat(8);
        assertEquals(8, f.a.rcvLowat());
        peer.send(23, range(0, 3));
        f.pump();
        assertErrno(Errno.EAGAIN, "would wait: 3 of 8", () -> f.a.recv(buf, 0, 100, 0));
        assertEquals(3, f.a.recv(buf, 0, 100, Ktls.MSG_PEEK | Ktls.MSG_DONTWAIT), "nothing consumed");
        // A blocking peek waits too.
        assertErrno(Errno.EAGAIN, () -> f.a.recv(buf, 0, 100, Ktls.MSG_PEEK));
        peer.send(23, range(3, 8));
        final byte[] third = peer.seal(23, range(8, 12), 0);
        f.rawB.send(third, 0, third.length - 1);
        f.pump();
        assertEquals(8, f.a.recv(buf, 0, 100, 0), "target reached; the third record is not whole yet");
        assertArrayEquals(range(0, 8), Arrays.copyOf(buf, 8));
        f.rawB.send(third, third.length - 1, 1);
        peer.send(23, range(12, 20));
        peer.send(23, range(20, 24));
        f.pump();
        assertEquals(16, f.a.recv(buf, 0, 100, 0), "every ready record is taken, past the target");
        assertArrayEquals(range(8, 24), Arrays.copyOf(buf, 16));
        peer.send(23, range(24, 27));
        f.pump();
        assertEquals(3, f.a.recv(buf, 0, 100, Ktls.MSG_DONTWAIT), "MSG_DONTWAIT returns what is there");
        assertArrayEquals(range(24, 27), Arrays.copyOf(buf, 3));
        peer.send(23, range(27, 32));
        f.pump();
        assertEquals(5, f.a.recv(buf, 0, 5, 0), "the target is capped at len");
        assertErrno(Errno.EAGAIN, () -> f.a.recv(buf, 0, 100, Ktls.MSG_DONTWAIT));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldWaitForWholeBufferUnderMsgWaitall(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 73);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] buf = new byte[20];
        peer.send(23, range(0, 10));
        f.pump();
        assertErrno(Errno.EAGAIN, "MSG_WAITALL", () -> f.a.recv(buf, 0, 20, Ktls.MSG_WAITALL));
        assertEquals(10, f.a.recv(buf, 0, 10, Ktls.MSG_WAITALL | Ktls.MSG_PEEK));
        peer.send(23, range(10, 20));
        peer.send(23, range(20, 30));
        f.pump();
        assertEquals(15, f.a.recv(buf, 0, 15, Ktls.MSG_WAITALL), "stops inside the second record");
        assertArrayEquals(range(0, 15), Arrays.copyOf(buf, 15));
        assertErrno(Errno.EAGAIN, () -> f.a.recv(buf, 0, 20, Ktls.MSG_WAITALL | Ktls.MSG_PEEK));
        assertEquals(15, f.a.recv(buf, 0, 15, Ktls.MSG_WAITALL | Ktls.MSG_PEEK), "peek across records");
        assertEquals(15, f.a.recv(buf, 0, 15, Ktls.MSG_WAITALL));
        assertArrayEquals(range(15, 30), Arrays.copyOf(buf, 15));
        peer.send(23, range(30, 34));
        f.pump();
        assertEquals(4, f.a.recv(buf, 0, 20, Ktls.MSG_WAITALL | Ktls.MSG_DONTWAIT), "non-blocking: what is there");
        peer.send(23, range(34, 40));
        f.rawB.shutdownOutput();
        f.pump();
        assertEquals(6, f.a.recv(buf, 0, 20, Ktls.MSG_WAITALL), "the peer's FIN ends the wait");
        assertEquals(0, f.a.recv(buf, 0, 20, Ktls.MSG_WAITALL));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldEndWaitallCallAtControlRecordTypeBoundaryAndError(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 74);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] buf = new byte[100];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        f.a.setRcvLowat(50);
        peer.send(23, range(0, 5));
        peer.send(21, new byte[] {1, 0});
        peer.send(22, new byte[0]);
        peer.send(23, range(5, 8));
        f.pump();
        assertEquals(5, f.a.recvmsg(buf, 0, 100, Ktls.MSG_WAITALL, cmsg), "the alert ends the data");
        assertEquals(Ktls.RECORD_TYPE_DATA, cmsg.recordType());
        assertErrno(Errno.EIO, () -> f.a.recv(buf, 0, 100, Ktls.MSG_WAITALL));
        assertEquals(2, f.a.recvmsg(buf, 0, 100, Ktls.MSG_WAITALL, cmsg), "a control record is returned alone");
        assertEquals(Ktls.RECORD_TYPE_ALERT, cmsg.recordType());
        assertEquals(0, f.a.recvmsg(buf, 0, 100, 0, cmsg), "an empty control record too");
        assertEquals(Ktls.RECORD_TYPE_HANDSHAKE, cmsg.recordType());
        assertErrno(Errno.EAGAIN, () -> f.a.recvmsg(buf, 0, 100, 0, cmsg));
        final byte[] bad = peer.seal(23, range(8, 12), 0);
        bad[bad.length - 1] ^= 1;
        peer.write(bad);
        f.pump();
        assertEquals(3, f.a.recvmsg(buf, 0, 100, Ktls.MSG_WAITALL, cmsg), "an error ends the wait");
        assertArrayEquals(range(5, 8), Arrays.copyOf(buf, 3));
        assertErrno(Errno.EBADMSG, () -> f.a.recv(buf, 0, 100, Ktls.MSG_WAITALL));
    }

    @ParameterizedTest
    @EnumSource(value = Suite.class, names = "TLS13.*", mode = EnumSource.Mode.MATCH_ANY)
    void shouldEndWaitallCallAtPendingKeyUpdate(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 75);
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] buf = new byte[100];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        peer.send(22, new byte[] {Ktls.HANDSHAKE_KEY_UPDATE, 0, 0, 1, 0});
        f.pump();
        assertEquals(5, f.a.recvmsg(buf, 0, 100, Ktls.MSG_WAITALL, cmsg));
        assertEquals(Ktls.RECORD_TYPE_HANDSHAKE, cmsg.recordType());
        assertErrno(Errno.EKEYEXPIRED, () -> f.a.recv(buf, 0, 100, Ktls.MSG_WAITALL));
    }

    @Test
    void shouldStoreRcvLowatAsLinuxDoes()
    {
        final KtlsSocket s = new KtlsSocket(PipeTransport.pair(1 << 20, PipeTransport.Chunker.whole())[0],
            new TlsCounters());
        assertEquals(1, s.rcvLowat());
        s.setRcvLowat(0);
        assertEquals(1, s.rcvLowat(), "0 is stored as 1");
        s.setRcvLowat(-5);
        assertEquals(KtlsSocket.MAX_RCVLOWAT, s.rcvLowat(), "negative means INT_MAX, capped at tcp_rmem[2] / 2");
        s.setRcvLowat(Integer.MAX_VALUE);
        assertEquals(KtlsSocket.MAX_RCVLOWAT, s.rcvLowat());
        s.setRcvLowat(4096);
        assertEquals(4096, s.rcvLowat());
    }

    @Test
    void shouldApplyLowatToPlainTcpBeforeTlsRx()
    {
        final PipeTransport[] pipe = PipeTransport.pair(1 << 20, PipeTransport.Chunker.whole());
        final KtlsSocket a = new KtlsSocket(pipe[0], new TlsCounters());
        a.setRcvLowat(5);
        pipe[1].send(range(0, 3), 0, 3);
        PipeTransport.pump(pipe[0], pipe[1]);
        final byte[] buf = new byte[10];
        assertErrno(Errno.EAGAIN, "would wait", () -> a.recv(buf, 0, 10, 0));
        pipe[1].send(range(3, 6), 0, 3);
        PipeTransport.pump(pipe[0], pipe[1]);
        assertEquals(6, a.recv(buf, 0, 10, 0));
        pipe[1].send(range(6, 7), 0, 1);
        PipeTransport.pump(pipe[0], pipe[1]);
        assertEquals(1, a.recv(buf, 0, 10, Ktls.MSG_DONTWAIT));
        assertArrayEquals(range(6, 7), Arrays.copyOf(buf, 1));
    }
}
