package io.tlsnic.harness.scenario;

import java.security.MessageDigest;
import java.util.SplittableRandom;

/** What the sender of a scenario flow sent, computed here from the seeds independently of the run. */
final class Expected
{
    private Expected()
    {
    }

    /** @return SHA-256 hex of the first {@code total} bytes of the seeded pattern, generated here anew. */
    static String sha256(final long total, final long seed) throws Exception
    {
        final byte[] period = new byte[PatternData.PERIOD];
        new SplittableRandom(seed).nextBytes(period);
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (long done = 0; done < total; done += PatternData.PERIOD)
        {
            sha.update(period, 0, (int)Math.min(PatternData.PERIOD, total - done));
        }
        return io.tlsnic.wire.util.Hex.encode(sha.digest());
    }

    /** @return the seed of flow {@code id}'s client-to-server (0) or server-to-client (1) data. */
    static long dataSeed(final Scenario s, final int id, final int direction)
    {
        return (s.seed() * 1_000_003L + id) * 31 + 1 + direction;
    }
}
