package io.tlsnic.harness.scenario;

import java.security.MessageDigest;
import java.util.SplittableRandom;

/** What the sender of a scenario flow sent, computed here from the seeds independently of the run. */
final class Expected
{
    private static final int BLOCK = 1 << 20;

    private Expected()
    {
    }

    /** @return SHA-256 hex of {@code total} bytes: a seeded 1 MiB block, repeated. */
    static String sha256(final long total, final long seed) throws Exception
    {
        final byte[] block = new byte[BLOCK];
        new SplittableRandom(seed).nextBytes(block);
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (long done = 0; done < total; done += BLOCK)
        {
            sha.update(block, 0, (int)Math.min(BLOCK, total - done));
        }
        return io.tlsnic.wire.util.Hex.encode(sha.digest());
    }

    /** @return the seed of flow {@code id}'s client-to-server (0) or server-to-client (1) data. */
    static long dataSeed(final Scenario s, final int id, final int direction)
    {
        return (s.seed() * 1_000_003L + id) * 31 + 1 + direction;
    }
}
