package io.tlsnic.wire.link;

import java.util.SplittableRandom;

/**
 * Seeded faults on a wire, deterministic for a seed:
 * <ul>
 *   <li>loss, random or in bursts: once a frame is lost, each following one is lost too with probability
 *       {@code 1 - 1/burstLength} (a Gilbert-style two-state channel whose bursts average {@code burstLength});</li>
 *   <li>duplication, and reordering (a frame held back by an extra delay so later frames overtake it);</li>
 *   <li>jitter: a uniform extra delay per frame, which also reorders;</li>
 *   <li>corruption: a flipped bit anywhere in the frame (the TCP or IP checksum catches it), and "stealthy"
 *       corruption that swaps two 16-bit words near the end of a data frame, which keeps the one's-complement
 *       checksum valid so that only the TLS record's tag can catch it.</li>
 * </ul>
 * Targeted faults ("drop the segment carrying the next record header") are a {@link Link.DropFilter}.
 *
 * @param lossPercent chance of starting a loss, 0..100.
 * @param burstLength mean length of a loss burst in frames, at least 1 (1 = independent losses).
 * @param duplicatePercent chance of delivering a frame twice.
 * @param reorderPercent chance of holding a frame back.
 * @param reorderDelayNs how long a held-back frame waits on top of the wire latency.
 * @param jitterNs uniform extra delay 0..jitterNs per frame.
 * @param corruptPercent chance of flipping one bit of a frame.
 * @param stealthCorruptPercent chance of a checksum-preserving corruption of a data frame.
 * @param seed random seed.
 */
public record LinkFaults(double lossPercent, double burstLength, double duplicatePercent, double reorderPercent,
    long reorderDelayNs, long jitterNs, double corruptPercent, double stealthCorruptPercent, long seed)
{
    /**
     * Random loss, duplication and reordering only.
     *
     * @param lossPercent chance of dropping a frame.
     * @param duplicatePercent chance of delivering a frame twice.
     * @param reorderPercent chance of holding a frame back.
     * @param reorderDelayNs how long it is held back.
     * @param seed random seed.
     */
    public LinkFaults(final double lossPercent, final double duplicatePercent, final double reorderPercent,
        final long reorderDelayNs, final long seed)
    {
        this(lossPercent, 1, duplicatePercent, reorderPercent, reorderDelayNs, 0, 0, 0, seed);
    }

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
        check("corrupt", corruptPercent);
        check("stealth corrupt", stealthCorruptPercent);
        if (!(burstLength >= 1))
        {
            throw new IllegalArgumentException("loss burst length must be at least 1 frame, got " + burstLength);
        }
        if (reorderDelayNs < 0 || jitterNs < 0)
        {
            throw new IllegalArgumentException("reorder delay " + reorderDelayNs + " ns and jitter " + jitterNs
                + " ns must not be negative");
        }
    }

    /**
     * @return whether no random fault can apply: no loss, duplication, reordering, jitter or corruption (frames
     *     arrive in the order they were sent, each unmodified).
     */
    public boolean inOrder()
    {
        return lossPercent == 0 && duplicatePercent == 0 && reorderPercent == 0 && jitterNs == 0
            && corruptPercent == 0 && stealthCorruptPercent == 0;
    }

    /** @return these faults with another loss rate (0..100 %). */
    public LinkFaults withLoss(final double percent)
    {
        return new LinkFaults(percent, burstLength, duplicatePercent, reorderPercent, reorderDelayNs, jitterNs,
            corruptPercent, stealthCorruptPercent, seed);
    }

    /** @return these faults drawn from another seed. */
    public LinkFaults withSeed(final long newSeed)
    {
        return new LinkFaults(lossPercent, burstLength, duplicatePercent, reorderPercent, reorderDelayNs, jitterNs,
            corruptPercent, stealthCorruptPercent, newSeed);
    }

    /** @return these faults with loss in bursts of {@code frames} on average. */
    public LinkFaults withBursts(final double frames)
    {
        return new LinkFaults(lossPercent, frames, duplicatePercent, reorderPercent, reorderDelayNs, jitterNs,
            corruptPercent, stealthCorruptPercent, seed);
    }

    /** @return these faults with jitter up to {@code ns}. */
    public LinkFaults withJitter(final long ns)
    {
        return new LinkFaults(lossPercent, burstLength, duplicatePercent, reorderPercent, reorderDelayNs, ns,
            corruptPercent, stealthCorruptPercent, seed);
    }

    /** @return these faults with bit flips and checksum-preserving corruption at the given rates. */
    public LinkFaults withCorruption(final double bitFlipPercent, final double stealthPercent)
    {
        return new LinkFaults(lossPercent, burstLength, duplicatePercent, reorderPercent, reorderDelayNs, jitterNs,
            bitFlipPercent, stealthPercent, seed);
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
