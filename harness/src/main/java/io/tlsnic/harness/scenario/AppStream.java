package io.tlsnic.harness.scenario;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One direction of a flow's application data: {@code total} bytes of a seeded {@link PatternData} (a prime period, so
 * a record delivered in the wrong place or twice never matches). The writer takes runs of the pattern; the reader
 * checks every byte it receives against it and hashes it, so nothing is kept but the pattern.
 */
final class AppStream
{
    final long total;
    private final PatternData data;
    private final MessageDigest sha256;
    long written;
    long received;
    private String wrong;

    AppStream(final long total, final long seed)
    {
        this.total = total;
        this.data = new PatternData(seed);
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return the pattern: the next byte to write is at {@link #writeOffset()} in it. */
    byte[] source()
    {
        return data.source();
    }

    /** @return offset in {@link #source()} of the next byte to write. */
    int writeOffset()
    {
        return PatternData.offset(written, 0);
    }

    /** @return bytes that can be written from {@link #writeOffset()} in one run, at most {@code max}. */
    int writable(final long limit, final int max)
    {
        return (int)Math.min(Math.min(max, PatternData.MAX_RUN), Math.min(limit, total) - written);
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
            final int len = Math.min(n - p, PatternData.MAX_RUN);
            final int at = PatternData.offset(received + p, 0);
            final int mismatch = Arrays.mismatch(b, off + p, off + p + len, data.source(), at, at + len);
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
