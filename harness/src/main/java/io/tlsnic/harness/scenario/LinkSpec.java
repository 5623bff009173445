package io.tlsnic.harness.scenario;

import io.tlsnic.wire.link.LinkFaults;

/**
 * The wire between the hosts.
 *
 * @param latencyNs one-way propagation delay.
 * @param gigabitsPerSecond line rate.
 * @param faults seeded faults (loss, bursts, duplication, reordering, jitter, corruption).
 */
public record LinkSpec(long latencyNs, double gigabitsPerSecond, LinkFaults faults)
{
    /** @return 20 us, 100 Gb/s, no faults at all. */
    public static LinkSpec clean(final long seed)
    {
        return new LinkSpec(20_000, 100, new LinkFaults(0, 0, 0, 0, seed));
    }

    /** @return 20 us, 100 Gb/s, the given loss, 0.5 % reordering by 200 us, no other faults. */
    public static LinkSpec lossy(final double lossPercent, final long seed)
    {
        return new LinkSpec(20_000, 100, new LinkFaults(lossPercent, 0, 0.5, 200_000, seed));
    }
}
