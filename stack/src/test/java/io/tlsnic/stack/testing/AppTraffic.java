package io.tlsnic.stack.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;

/**
 * An application's traffic over a kTLS socket, driven without blocking: a seeded pattern of writes of 1 B,
 * 1 KiB, 16 KiB and 100 KiB, some with MSG_MORE, some as sendfile from a file holding the same bytes; and a
 * reader that checks every received byte against what was written, in order.
 */
public final class AppTraffic
{
    private final byte[] data;
    private final FileChannel file;
    private final List<int[]> actions = new ArrayList<>(); // {offset, length, kind: 0 send, 1 MSG_MORE, 2 sendfile}
    private int action;
    private int actionDone;
    private int received;
    private final byte[] readBuffer = new byte[65536];

    /**
     * @param length total bytes.
     * @param seed pattern and content seed.
     * @param dir folder for the sendfile source.
     */
    public AppTraffic(final int length, final long seed, final Path dir) throws IOException
    {
        this(length, seed, dir, new int[] {1, 1024, 16384, 102400});
    }

    /**
     * @param length total bytes.
     * @param seed pattern and content seed.
     * @param dir folder for the sendfile source.
     * @param sizes the write sizes the pattern picks from.
     */
    public AppTraffic(final int length, final long seed, final Path dir, final int[] sizes) throws IOException
    {
        data = new byte[length];
        final SplittableRandom random = new SplittableRandom(seed);
        random.nextBytes(data);
        final Path path = dir.resolve("sendfile-" + Long.toHexString(seed) + ".bin");
        Files.write(path, data);
        file = FileChannel.open(path, StandardOpenOption.READ);
        int p = 0;
        while (p < length)
        {
            final int kind = random.nextInt(10) < 2 ? 1 : random.nextInt(10) == 0 ? 2 : 0;
            final int size = kind == 2 ? 1 + random.nextInt(300_000) : sizes[random.nextInt(sizes.length)];
            final int n = Math.min(size, length - p);
            actions.add(new int[] {p, n, p + n == length ? 0 : kind});
            p += n;
        }
    }

    /** @return the bytes the pattern writes. */
    public byte[] data()
    {
        return data;
    }

    /** @return total bytes of the pattern. */
    public int length()
    {
        return data.length;
    }

    /** Writes as much as the socket takes now. */
    public void write(final KtlsSocket socket) throws IOException
    {
        while (action < actions.size())
        {
            final int[] a = actions.get(action);
            final int offset = a[0] + actionDone;
            final int remaining = a[1] - actionDone;
            final long n;
            try
            {
                n = a[2] == 2 ? socket.sendfile(file, offset, remaining)
                    : socket.send(data, offset, remaining, a[2] == 1 ? Ktls.MSG_MORE : 0);
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() == Errno.EAGAIN || e.errno() == Errno.ENOMEM)
                {
                    return;
                }
                throw e;
            }
            actionDone += (int)n;
            if (actionDone < a[1])
            {
                return;
            }
            action++;
            actionDone = 0;
        }
    }

    /** Reads what the socket has and checks it against the pattern; throws on the first wrong byte. */
    public void read(final KtlsSocket socket)
    {
        while (received < data.length)
        {
            final int n;
            try
            {
                n = socket.recv(readBuffer, 0, readBuffer.length, Ktls.MSG_DONTWAIT);
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() == Errno.EAGAIN)
                {
                    return;
                }
                throw e;
            }
            if (n == 0)
            {
                return;
            }
            if (received + n > data.length
                || !Arrays.equals(readBuffer, 0, n, data, received, received + n))
            {
                throw new AssertionError("plaintext differs from what was written, within bytes " + received
                    + ".." + (received + n));
            }
            received += n;
        }
    }

    /** @return whether every written byte was read back. */
    public boolean allReceived()
    {
        return received == data.length;
    }

    /** @return bytes read so far. */
    public int received()
    {
        return received;
    }

    /** @return whether every action was handed to the socket. */
    public boolean allWritten()
    {
        return action == actions.size();
    }

    /** Closes the sendfile source. */
    public void close() throws IOException
    {
        file.close();
    }
}
