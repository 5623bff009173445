package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;

/**
 * Bidirectional traffic and several readers or writers on one socket, made deterministic (selftests tls.c bidir,
 * mutliproc_even, mutliproc_readers, mutliproc_writers, mutliproc_sendpage_*): calls from both ends and from
 * several "threads" interleave one at a time in a seeded random order, with small buffers, small send buffers and
 * partial deliveries. Every byte must arrive once, in order.
 */
class KtlsConcurrencyTest
{
    /** One direction's sender: a payload sent in random small pieces with random flags. */
    private static final class Sender
    {
        final KtlsSocket socket;
        final byte[] payload;
        int sent;

        Sender(final KtlsSocket socket, final byte[] payload)
        {
            this.socket = socket;
            this.payload = payload;
        }

        void step(final Random random)
        {
            if (sent == payload.length)
            {
                return;
            }
            final int len = Math.min(payload.length - sent, 1 + random.nextInt(300));
            final boolean last = sent + len == payload.length;
            final int pick = random.nextInt(8);
            final int flags = Ktls.MSG_DONTWAIT | (!last && pick < 2 ? Ktls.MSG_MORE : pick == 2 ? Ktls.MSG_EOR : 0);
            try
            {
                sent += socket.send(payload, sent, len, flags);
            }
            catch (final TlsErrnoException e)
            {
                assertEquals(Errno.EAGAIN, e.errno(), e.getMessage());
            }
        }
    }

    /** One direction's receiver: small reads, some peeks, some recvmsg; checks each against the payload. */
    private static final class Receiver
    {
        final KtlsSocket socket;
        final byte[] expected;
        int received;

        Receiver(final KtlsSocket socket, final byte[] expected)
        {
            this.socket = socket;
            this.expected = expected;
        }

        void step(final Random random)
        {
            final byte[] buf = new byte[1 + random.nextInt(200)];
            final int pick = random.nextInt(4);
            final RecordTypeCmsg cmsg = pick == 1 ? new RecordTypeCmsg() : null;
            final int flags = Ktls.MSG_DONTWAIT | (pick == 2 ? Ktls.MSG_PEEK : 0) | (pick == 3 ? Ktls.MSG_WAITALL : 0);
            final int n;
            try
            {
                n = socket.recvmsg(buf, 0, buf.length, flags, cmsg);
            }
            catch (final TlsErrnoException e)
            {
                assertEquals(Errno.EAGAIN, e.errno(), e.getMessage());
                return;
            }
            assertTrue(n > 0, "no EOF mid-stream");
            assertArrayEquals(Arrays.copyOfRange(expected, received, received + n), Arrays.copyOf(buf, n));
            if (cmsg != null)
            {
                assertEquals(Ktls.RECORD_TYPE_DATA, cmsg.recordType());
            }
            if (pick != 2)
            {
                received += n;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldInterleaveManySmallOperationsFromBothEnds(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 91, 20_000, PipeTransport.Chunker.random(91, 60));
        final Random random = new Random(92);
        final byte[] aPayload = f.randomBytes(60_000);
        final byte[] bPayload = f.randomBytes(60_000);
        final Sender aw = new Sender(f.a, aPayload);
        final Sender bw = new Sender(f.b, bPayload);
        final Receiver ar = new Receiver(f.a, bPayload);
        final Receiver br = new Receiver(f.b, aPayload);
        int steps = 0;
        while (ar.received < bPayload.length || br.received < aPayload.length)
        {
            assertTrue(++steps < 200_000, "no progress: a got " + ar.received + ", b got " + br.received);
            switch (random.nextInt(6))
            {
                case 0 -> aw.step(random);
                case 1 -> bw.step(random);
                case 2 -> f.rawA.deliver();
                case 3 -> f.rawB.deliver();
                case 4 -> ar.step(random);
                default -> br.step(random);
            }
        }
        assertEquals(aPayload.length, aw.sent);
        assertEquals(bPayload.length, bw.sent);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldGiveEveryByteOnceInOrderToTwoWritersAndTwoReadersTakingTurns(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 93, 64 * 1024, PipeTransport.Chunker.random(93, 5000));
        final Random random = new Random(94);
        final byte[] source = f.randomBytes(1 << 20);
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final ByteArrayOutputStream read = new ByteArrayOutputStream();
        final int[] readByReader = new int[2];
        final int[] wroteByWriter = new int[2];
        int turn = 0;
        int sourceAt = 0;
        for (int step = 0; step < 100_000 && (sourceAt < source.length || read.size() < written.size()); step++)
        {
            turn ^= 1;
            // Writer "turn": its own chunk of the source, as one send; what it takes joins the stream in call order.
            if (sourceAt < source.length && random.nextBoolean())
            {
                final int len = Math.min(source.length - sourceAt, 1 + random.nextInt(turn == 0 ? 20_000 : 700));
                try
                {
                    final int n = f.a.send(source, sourceAt, len, Ktls.MSG_DONTWAIT);
                    written.write(source, sourceAt, n);
                    sourceAt += n;
                    wroteByWriter[turn] += n;
                }
                catch (final TlsErrnoException e)
                {
                    assertEquals(Errno.EAGAIN, e.errno(), e.getMessage());
                }
            }
            if (random.nextInt(3) == 0)
            {
                f.pump();
            }
            // Reader "turn": reader 0 uses recv with small buffers, reader 1 recvmsg with large ones.
            final byte[] buf = new byte[turn == 0 ? 1 + random.nextInt(3000) : 1 + random.nextInt(40_000)];
            try
            {
                final int n = turn == 0 ? f.b.recv(buf, 0, buf.length, Ktls.MSG_DONTWAIT)
                    : f.b.recvmsg(buf, 0, buf.length, Ktls.MSG_DONTWAIT, new RecordTypeCmsg());
                read.write(buf, 0, n);
                readByReader[turn] += n;
            }
            catch (final TlsErrnoException e)
            {
                assertEquals(Errno.EAGAIN, e.errno(), e.getMessage());
            }
        }
        assertEquals(source.length, sourceAt);
        assertArrayEquals(source, written.toByteArray());
        assertArrayEquals(source, read.toByteArray(), "the readers' pieces, in call order, are the stream");
        assertTrue(readByReader[0] > 0 && readByReader[1] > 0, Arrays.toString(readByReader));
        assertTrue(wroteByWriter[0] > 0 && wroteByWriter[1] > 0, Arrays.toString(wroteByWriter));
    }
}
