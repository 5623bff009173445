package io.tlsnic.wire.link;

import java.util.SplittableRandom;

/**
 * Seeded faults on a wire: random loss, duplication and reordering (a frame held back by an extra delay so
 * later frames overtake it). Deterministic for a seed. Targeted faults and corruption come with the resync work.
 *
 * @param lossPercent chance of dropping a frame, 0..100.
 * @param duplicatePercent chance of delivering a frame twice.
 * @param reorderPercent chance of holding a frame back.
 * @param reorderDelayNs how long a held-back frame waits on top of the wire latency.
 * @param seed random seed.
 */
public record LinkFaults(double lossPercent, double duplicatePercent, double reorderPercent, long reorderDelayNs,
    long seed)
{
    /** @return a clean wire. */
    public static LinkFaults none()
    {
        return new LinkFaults(0, 0, 0, 0, 0);
    }

    /** Validates the values with messages that name them. */
    public LinkFaults
    {
        check("loss", lossPercent);
        check("duplicate", duplicatePercent);
        check("reorder", reorderPercent);
        if (reorderDelayNs < 0)
        {
            throw new IllegalArgumentException("reorder delay must not be negative, got " + reorderDelayNs + " ns");
        }
    }

    private static void check(final String what, final double percent)
    {
        if (!(percent >= 0 && percent <= 100))
        {
            throw new IllegalArgumentException(what + " must be 0..100 %, got " + percent);
        }
    }

    SplittableRandom newRandom()
    {
        return new SplittableRandom(seed);
    }
}
