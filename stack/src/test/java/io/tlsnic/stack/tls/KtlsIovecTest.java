package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gathered {@code sendmsg} and scattered {@code recvmsg} (selftests tls.c sendmsg_single, sendmsg_large,
 * sendmsg_multiple, sendmsg_multiple_stress, recvmsg_multiple): iovec boundaries never show in the records, which
 * an independent AEAD ({@link BcRecords}) opens.
 */
class KtlsIovecTest
{
    private static final int MAX = 1 << 14;

    private static ByteBuffer[] iovecs(final byte[] data, final int... lengths)
    {
        final ByteBuffer[] iov = new ByteBuffer[lengths.length];
        int at = 0;
        for (int i = 0; i < lengths.length; i++)
        {
            // Mix heap and direct buffers, and offsets into a larger heap array.
            if (i % 2 == 0)
            {
                iov[i] = ByteBuffer.allocateDirect(lengths[i]).put(data, at, lengths[i]).flip();
            }
            else
            {
                final byte[] backing = new byte[lengths[i] + 7];
                System.arraycopy(data, at, backing, 3, lengths[i]);
                iov[i] = ByteBuffer.wrap(backing, 3, lengths[i]);
            }
            at += lengths[i];
        }
        return iov;
    }

    private static int[] repeat(final int length, final int count)
    {
        final int[] lengths = new int[count];
        Arrays.fill(lengths, length);
        return lengths;
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldSendFiveIovecsAsOneRecord(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 81, PipeTransport.Chunker.whole());
        final byte[] one = "test_sendmsg_multiple\0".getBytes(StandardCharsets.US_ASCII);
        final byte[] data = new byte[5 * one.length];
        for (int i = 0; i < 5; i++)
        {
            System.arraycopy(one, 0, data, i * one.length, one.length);
        }
        final ByteBuffer[] iov = iovecs(data, repeat(one.length, 5));
        assertEquals(data.length, f.a.sendmsg(iov, 0, -1));
        for (final ByteBuffer b : iov)
        {
            assertEquals(0, b.remaining(), "every iovec consumed");
        }
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertEquals(1, records.size());
        assertArrayEquals(data, records.get(0).content);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldFrame1024IovecsAnd128x16KiBInOneCallAsOneStream(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 82, PipeTransport.Chunker.whole());
        final byte[] stress = f.randomBytes(1024 * 16);
        assertEquals(stress.length, f.a.sendmsg(iovecs(stress, repeat(16, 1024)), 0, -1));
        final byte[] large = f.randomBytes(128 * MAX);
        assertEquals(large.length, f.a.sendmsg(iovecs(large, repeat(MAX, 128)), 0, -1));
        final byte[] odd = f.randomBytes(3 * MAX);
        assertEquals(odd.length, f.a.sendmsg(iovecs(odd, 1, MAX - 1, 2, MAX + 5, MAX - 7), 0, -1));
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertEquals(1 + 128 + 3, records.size());
        for (final BcRecords.Opened r : records)
        {
            assertEquals(MAX, r.content.length);
            assertEquals(Ktls.RECORD_TYPE_DATA, r.type);
        }
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        records.forEach(r -> all.writeBytes(r.content));
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(stress);
        expected.writeBytes(large);
        expected.writeBytes(odd);
        assertArrayEquals(expected.toByteArray(), all.toByteArray());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldSendControlRecordFromIovecs(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 83, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(MAX + 10);
        f.a.send(data, 0, 3, Ktls.MSG_MORE);
        assertEquals(MAX + 10, f.a.sendmsg(iovecs(data, 4, MAX, 6), 0, Ktls.RECORD_TYPE_HANDSHAKE));
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertArrayEquals(new int[] {23, 22, 22}, records.stream().mapToInt(r -> r.type).toArray());
        assertArrayEquals(new int[] {3, MAX, 10}, records.stream().mapToInt(r -> r.content.length).toArray());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldAdvanceIovecPositionsByBytesTakenWhenSendBufferFills(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 84, 20_000, PipeTransport.Chunker.random(84, 3000));
        final byte[] data = f.randomBytes(60_000);
        final ByteBuffer[] iov = iovecs(data, 10_000, 30_000, 20_000);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        int rounds = 0;
        long sent = 0;
        while (sent < data.length)
        {
            final int n = f.a.sendmsg(iov, Ktls.MSG_DONTWAIT, -1);
            sent += n;
            assertTrue(n > 0 && n % MAX == 0 || sent == data.length, "whole records taken: " + n);
            final long remaining = Arrays.stream(iov).mapToLong(ByteBuffer::remaining).sum();
            assertEquals(data.length - sent, remaining, "iovec positions follow the bytes taken");
            f.pump();
            got.writeBytes(KtlsFixture.readAvailable(f.b, 5000));
            rounds++;
        }
        assertTrue(rounds > 1, "the 20 KB send buffer must have filled");
        f.pump();
        got.writeBytes(KtlsFixture.readAvailable(f.b, 5000));
        assertArrayEquals(data, got.toByteArray());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldScatterRecvmsgOver1024Iovecs(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 85, 1 << 20, PipeTransport.Chunker.random(85, 2000));
        final byte[] data = f.randomBytes(MAX + 100);
        f.b.send(data, 0, MAX, 0);
        f.b.send(data, MAX, 100, 0);
        f.pump();
        final ByteBuffer[] iov = new ByteBuffer[1024];
        for (int i = 0; i < iov.length; i++)
        {
            iov[i] = i % 3 == 0 ? ByteBuffer.allocateDirect(16) : ByteBuffer.allocate(16);
        }
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        assertEquals(MAX, f.a.recvmsg(iov, 0, cmsg));
        assertEquals(Ktls.RECORD_TYPE_DATA, cmsg.recordType());
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (final ByteBuffer b : iov)
        {
            assertEquals(0, b.remaining());
            final byte[] part = new byte[16];
            b.flip().get(part);
            got.writeBytes(part);
        }
        final ByteBuffer[] small = {ByteBuffer.allocate(30), ByteBuffer.allocateDirect(30), ByteBuffer.allocate(70)};
        assertEquals(100, f.a.recvmsg(small, 0, null));
        assertEquals(0, small[0].remaining());
        assertEquals(0, small[1].remaining());
        assertEquals(30, small[2].remaining(), "the rest of the last iovec is left");
        for (final ByteBuffer b : small)
        {
            final byte[] part = new byte[b.position()];
            b.flip().get(part);
            got.writeBytes(part);
        }
        assertArrayEquals(data, got.toByteArray());
    }
}
