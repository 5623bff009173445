package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;

/**
 * Both ways at once through a 64 KiB send buffer with random re-chunking: a mixed application pattern (1 B, 1 KiB,
 * 16 KiB, 100 KiB sends, MSG_MORE, sendfile) must arrive byte-identical (selftests tls.c bidir/mutliproc cases).
 */
class KtlsBidirectionalTest
{
    private static final int BYTES_PER_DIRECTION = 3 << 20;

    @TempDir
    Path tempDir;

    /** One direction's application: a script of sends over a payload, resumable after partial writes. */
    private static final class Writer
    {
        final KtlsSocket socket;
        final byte[] payload;
        final FileChannel file;
        final Random random;
        int sent;
        int opEnd;
        int opFlags;
        boolean opSendfile;

        Writer(final KtlsSocket socket, final byte[] payload, final FileChannel file, final long seed)
        {
            this.socket = socket;
            this.payload = payload;
            this.file = file;
            this.random = new Random(seed);
        }

        void step()
        {
            while (sent < payload.length)
            {
                if (sent == opEnd)
                {
                    nextOp();
                }
                try
                {
                    final int n = opSendfile
                        ? (int)socket.sendfile(file, sent, opEnd - sent)
                        : socket.send(payload, sent, opEnd - sent, opFlags | Ktls.MSG_DONTWAIT);
                    sent += n;
                    if (sent < opEnd)
                    {
                        return;
                    }
                }
                catch (final TlsErrnoException e)
                {
                    if (e.errno() != Errno.EAGAIN && e.errno() != Errno.ENOMEM)
                    {
                        throw e;
                    }
                    return;
                }
            }
        }

        private void nextOp()
        {
            final int[] sizes = {1, 1024, 16 * 1024, 100 * 1024};
            final int size = sizes[random.nextInt(sizes.length)];
            opEnd = Math.min(payload.length, sent + size);
            opSendfile = random.nextInt(8) == 0;
            // The last op never leaves a record open.
            opFlags = opEnd < payload.length && random.nextInt(3) == 0 ? Ktls.MSG_MORE : 0;
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldTransferMixedPatternBothWaysByteIdentical(final Suite suite) throws IOException
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 61, 64 * 1024, PipeTransport.Chunker.random(61, 4000));
        final byte[] aPayload = f.randomBytes(BYTES_PER_DIRECTION);
        final byte[] bPayload = f.randomBytes(BYTES_PER_DIRECTION);
        final Path aFile = tempDir.resolve("a.bin");
        final Path bFile = tempDir.resolve("b.bin");
        Files.write(aFile, aPayload);
        Files.write(bFile, bPayload);
        try (FileChannel aCh = FileChannel.open(aFile, StandardOpenOption.READ);
            FileChannel bCh = FileChannel.open(bFile, StandardOpenOption.READ))
        {
            final Writer aw = new Writer(f.a, aPayload, aCh, 1);
            final Writer bw = new Writer(f.b, bPayload, bCh, 2);
            final ByteArrayOutputStream atB = new ByteArrayOutputStream();
            final ByteArrayOutputStream atA = new ByteArrayOutputStream();
            final Random reads = new Random(3);
            for (int round = 0; atA.size() < bPayload.length || atB.size() < aPayload.length; round++)
            {
                assertTrue(round < 100_000, "no progress: a got " + atA.size() + ", b got " + atB.size());
                aw.step();
                bw.step();
                f.pump();
                atB.writeBytes(KtlsFixture.readAvailable(f.b, 1 + reads.nextInt(40_000)));
                atA.writeBytes(KtlsFixture.readAvailable(f.a, 1 + reads.nextInt(40_000)));
            }
            assertArrayEquals(aPayload, atB.toByteArray());
            assertArrayEquals(bPayload, atA.toByteArray());
        }
        f.a.shutdownOutput();
        f.b.shutdownOutput();
        f.pump();
        final byte[] buf = new byte[10];
        assertTrue(f.a.recv(buf, 0, 10, 0) == 0 && f.b.recv(buf, 0, 10, 0) == 0, "EOF both ways");
        f.a.close();
        f.b.close();
        f.pump();
        assertTrue(f.rawA.isClosed() && f.rawB.isClosed());
        KtlsFixture.assertErrno(Errno.EBADF, () -> f.a.recv(buf, 0, 10, 0));
    }
}
