package io.tlsnic.harness.scenario;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * One direction of a flow's application data: a 1 MiB seeded block repeated up to {@code total} bytes. The writer
 * takes slices of the block; the reader checks every byte it receives against the block and hashes it, so nothing
 * is kept but the block.
 */
final class AppStream
{
    static final int BLOCK = 1 << 20;

    final byte[] block = new byte[BLOCK];
    final long total;
    private final MessageDigest sha256;
    long written;
    long received;
    private String wrong;

    AppStream(final long total, final long seed)
    {
        this.total = total;
        new SplittableRandom(seed).nextBytes(block);
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return offset in the block of the next byte to write. */
    int writeOffset()
    {
        return (int)(written % BLOCK);
    }

    /** @return bytes that can be written from {@link #writeOffset()} without wrapping, at most {@code max}. */
    int writable(final long limit, final int max)
    {
        return (int)Math.min(Math.min(max, BLOCK - writeOffset()), Math.min(limit, total) - written);
    }

    /**
     * Checks received bytes and hashes them.
     *
     * @return false if they differ from what was sent (the first difference is kept for the report).
     */
    boolean receive(final byte[] b, final int off, final int n)
    {
        if (received + n > total)
        {
            wrong = "more bytes arrived than were sent: " + (received + n) + " > " + total;
            return false;
        }
        int p = 0;
        while (p < n)
        {
            final int at = (int)((received + p) % BLOCK);
            final int len = Math.min(n - p, BLOCK - at);
            final int mismatch = java.util.Arrays.mismatch(b, off + p, off + p + len, block, at, at + len);
            if (mismatch >= 0)
            {
                wrong = "byte " + (received + p + mismatch) + " differs from the byte sent";
                return false;
            }
            p += len;
        }
        sha256.update(b, off, n);
        received += n;
        return true;
    }

    boolean complete()
    {
        return received == total;
    }

    /** @return the first difference, or null. */
    String wrong()
    {
        return wrong;
    }

    /** @return the SHA-256 of everything received, hex (call once, when complete). */
    String sha256Hex()
    {
        return io.tlsnic.wire.util.Hex.encode(sha256.digest());
    }
}
