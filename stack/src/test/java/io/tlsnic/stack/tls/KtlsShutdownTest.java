package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.Errno;

/**
 * shutdown and close (selftests tls.c shutdown, shutdown_unsent, and the half-close the tests rely on): after
 * {@code shutdown(SHUT_WR)} the socket still receives and the peer still sends; sends fail with EPIPE; after
 * {@code close} the descriptor is gone and every call is EBADF, while records closed before it still arrive.
 */
class KtlsShutdownTest
{
    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldKeepReceivingAfterShutdownWrite(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 101, 1 << 20, PipeTransport.Chunker.random(101, 50));
        final byte[] x = f.randomBytes(10);
        assertEquals(10, f.a.send(x, 0, 10, 0));
        f.a.shutdownOutput();
        assertErrno(Errno.EPIPE, () -> f.a.send(x, 0, 1, 0));
        assertErrno(Errno.EPIPE, () -> f.a.sendmsg(x, 0, 1, 0, Ktls.RECORD_TYPE_ALERT));
        assertErrno(Errno.EPIPE, () -> f.a.sendmsg(new ByteBuffer[] {ByteBuffer.wrap(x)}, 0, -1));
        f.pump();
        final byte[] buf = new byte[100];
        assertEquals(10, f.b.recv(buf, 0, 100, 0));
        assertArrayEquals(x, Arrays.copyOf(buf, 10));
        assertEquals(0, f.b.recv(buf, 0, 100, 0), "EOF after the data");
        final byte[] y = f.randomBytes(40_000);
        assertEquals(y.length, f.b.send(y, 0, y.length, 0), "the peer still sends");
        f.pump();
        assertArrayEquals(y, KtlsFixture.readAvailable(f.a, 7000), "and the half-closed socket still receives");
        f.b.shutdownOutput();
        f.pump();
        assertEquals(0, f.a.recv(buf, 0, 100, 0));
        assertEquals(0, f.b.recv(buf, 0, 100, 0));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldDropOpenMsgMoreRecordOnShutdown(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 102, 1 << 20, PipeTransport.Chunker.whole());
        f.a.send(new byte[] {1, 2, 3}, 0, 3, 0);
        f.a.send(new byte[10], 0, 10, Ktls.MSG_MORE);
        f.a.shutdownOutput();
        f.pump();
        final byte[] buf = new byte[100];
        assertEquals(3, f.b.recv(buf, 0, 100, 0));
        assertEquals(0, f.b.recv(buf, 0, 100, 0), "the unsent record never goes out");
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldFailEveryCallWithEbadfAfterClose(final Suite suite) throws IOException
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 103, 20_000, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(30_000);
        assertEquals(30_000, f.a.send(data, 0, 30_000, 0));
        assertTrue(f.a.pendingTxBytes() > 0);
        f.a.close();
        f.a.close();
        final byte[] buf = new byte[100];
        final Path file = tempDir.resolve("f.bin");
        Files.write(file, new byte[10]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            assertErrno(Errno.EBADF, () -> f.a.sendfile(ch, 0, 10));
        }
        assertErrno(Errno.EBADF, () -> f.a.send(buf, 0, 1, 0));
        assertErrno(Errno.EBADF, () -> f.a.sendmsg(buf, 0, 1, 0, Ktls.RECORD_TYPE_ALERT));
        assertErrno(Errno.EBADF, () -> f.a.recv(buf, 0, 100, Ktls.MSG_DONTWAIT));
        assertErrno(Errno.EBADF, () -> f.a.recvmsg(new ByteBuffer[] {ByteBuffer.allocate(5)}, 0, null));
        assertErrno(Errno.EBADF, () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, f.aToB.toBytes()));
        assertErrno(Errno.EBADF, () -> f.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, buf, 0, 4));
        assertErrno(Errno.EBADF, () -> f.a.setUlp("tls"));
        assertErrno(Errno.EBADF, () -> f.a.setRcvLowat(1));
        assertErrno(Errno.EBADF, f.a::shutdownOutput);
        f.pump();
        assertTrue(f.rawA.isClosed(), "the transport closes once the records closed before close() are out");
        assertArrayEquals(data, KtlsFixture.readAvailable(f.b, 5000));
        assertEquals(0, f.b.recv(buf, 0, 100, 0));
        assertEquals(1, f.counters.get(TlsStat.TLS_CURR_TX_SW), "only b's gauges are left");
        assertEquals(1, f.counters.get(TlsStat.TLS_CURR_RX_SW));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldReturnEofWhenFinFollowsTruncatedRecord(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 104, PipeTransport.Chunker.random(104, 10));
        final KtlsFixture.RawSender peer = f.rawSender();
        peer.send(23, new byte[] {1, 2});
        final byte[] cut = peer.seal(23, new byte[] {3, 4, 5}, 0);
        f.rawB.send(cut, 0, cut.length - 4);
        f.pump();
        final byte[] buf = new byte[100];
        assertEquals(2, f.a.recv(buf, 0, 100, 0));
        assertErrno(Errno.EAGAIN, "partly framed", () -> f.a.recv(buf, 0, 100, 0));
        f.rawB.shutdownOutput();
        f.pump();
        assertEquals(0, f.a.recv(buf, 0, 100, 0), "tls_rx_rec_wait returns on RCV_SHUTDOWN");
        assertEquals(0, f.a.recv(buf, 0, 100, Ktls.MSG_WAITALL));
    }
}
