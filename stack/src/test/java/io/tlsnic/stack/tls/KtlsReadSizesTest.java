package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.Errno;

/**
 * Read sizes end to end, kTLS TX to kTLS RX (selftests tls.c recv_max, recv_small, msg_more, msg_more_unsent,
 * single_send_multiple_recv, multiple_send_single_recv, single_send_multiple_recv_non_align, recv_partial,
 * recv_nonblock, recv_peek, recv_peek_multiple, recv_peek_multiple_records, recv_peek_large_buf_mult_recs).
 */
class KtlsReadSizesTest
{
    private static final int MAX = 1 << 14;

    private static KtlsFixture fixture(final Suite suite, final long seed)
    {
        return KtlsFixture.connected(suite, seed, 1 << 20, PipeTransport.Chunker.random(seed, 1500));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldReadMaxAndSmallRecordsWhole(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 121);
        final byte[] max = f.randomBytes(MAX);
        final byte[] small = "test_read\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        f.a.send(max, 0, MAX, 0);
        f.a.send(small, 0, small.length, 0);
        f.pump();
        final byte[] recvMem = new byte[MAX];
        assertEquals(MAX, f.b.recv(recvMem, 0, MAX, 0));
        assertArrayEquals(max, recvMem);
        final byte[] buf = new byte[small.length];
        assertEquals(small.length, f.b.recv(buf, 0, buf.length, 0));
        assertArrayEquals(small, buf);
        assertErrno(Errno.EAGAIN, () -> f.b.recv(buf, 0, buf.length, Ktls.MSG_DONTWAIT));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldSplitAndJoinRecordsAcrossReads(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 122);
        final byte[] two = f.randomBytes(2 * MAX);
        f.a.send(two, 0, two.length, 0);
        f.pump();
        final byte[] recvMem = new byte[2 * MAX];
        assertEquals(MAX, f.b.recv(recvMem, 0, MAX, 0));
        assertEquals(MAX, f.b.recv(recvMem, MAX, MAX, 0));
        assertArrayEquals(two, recvMem, "single_send_multiple_recv");

        final byte[] ten = f.randomBytes(10);
        f.a.send(ten, 0, 10, 0);
        f.a.send(ten, 0, 10, 0);
        f.pump();
        assertEquals(20, f.b.recv(recvMem, 0, 20, Ktls.MSG_WAITALL), "multiple_send_single_recv");
        assertArrayEquals(ten, Arrays.copyOfRange(recvMem, 10, 20));

        final byte[] fifteen = f.randomBytes(15);
        f.a.send(fifteen, 0, 15, 0);
        f.pump();
        assertEquals(10, f.b.recv(recvMem, 0, 10, 0));
        assertEquals(5, f.b.recv(recvMem, 10, 10, 0), "non-aligned: the rest of the record");
        assertArrayEquals(fifteen, Arrays.copyOf(recvMem, 15));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldHoldMsgMoreDataUntilTheRecordCloses(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 123);
        final byte[] ten = f.randomBytes(10);
        final byte[] buf = new byte[20];
        f.a.send(ten, 0, 10, Ktls.MSG_MORE);
        f.pump();
        // msg_more_unsent
        assertErrno(Errno.EAGAIN, () -> f.b.recv(buf, 0, 10, Ktls.MSG_DONTWAIT));
        f.a.send(ten, 0, 10, 0);
        f.pump();
        assertEquals(20, f.b.recv(buf, 0, 20, Ktls.MSG_WAITALL));
        assertArrayEquals(ten, Arrays.copyOf(buf, 10));
        assertArrayEquals(ten, Arrays.copyOfRange(buf, 10, 20));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldPeekRepeatedlyAndAcrossRecords(final Suite suite)
    {
        final KtlsFixture f = fixture(suite, 124);
        final byte[] first = "test_read_peek".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] second = "_mult_recs\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        final byte[] buf = new byte[64];
        f.a.send(first, 0, first.length, 0);
        f.pump();
        for (int i = 0; i < 100; i++)
        {
            Arrays.fill(buf, (byte)0);
            assertEquals(first.length, f.b.recv(buf, 0, first.length, Ktls.MSG_PEEK));
            assertArrayEquals(first, Arrays.copyOf(buf, first.length));
        }
        f.a.send(second, 0, second.length, 0);
        f.pump();
        assertEquals(first.length, f.b.recv(buf, 0, first.length, Ktls.MSG_PEEK | Ktls.MSG_WAITALL));
        assertEquals(whole.length, f.b.recv(buf, 0, whole.length, Ktls.MSG_PEEK | Ktls.MSG_WAITALL),
            "recv_peek_large_buf_mult_recs");
        assertArrayEquals(whole, Arrays.copyOf(buf, whole.length));
        assertEquals(whole.length, f.b.recv(buf, 0, whole.length, Ktls.MSG_WAITALL));
        assertArrayEquals(whole, Arrays.copyOf(buf, whole.length));
        f.a.send(first, 0, first.length, Ktls.MSG_MORE);
        f.a.send(second, 0, second.length, 0);
        f.pump();
        Arrays.fill(buf, (byte)0);
        assertEquals(whole.length, f.b.recv(buf, 0, whole.length, Ktls.MSG_PEEK | Ktls.MSG_WAITALL));
        assertArrayEquals(whole, Arrays.copyOf(buf, whole.length));
        assertEquals(5, f.b.recv(buf, 0, 5, 0), "recv_partial");
        assertEquals(whole.length - 5, f.b.recv(buf, 5, 64 - 5, 0));
        assertArrayEquals(whole, Arrays.copyOf(buf, whole.length));
    }
}
