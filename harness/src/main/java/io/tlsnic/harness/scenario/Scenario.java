package io.tlsnic.harness.scenario;

import java.util.List;

/**
 * A whole scenario: two hosts with the same device and driver, a wire, flows.
 *
 * @param name a name for reports.
 * @param seed seed of everything random: TCP ISNs, handshake randomness, application data, wire faults.
 * @param link the wire.
 * @param device NIC and driver parameters.
 * @param flows the flows (each spec may stand for several).
 * @param timeLimitNs virtual time after which the run stops unfinished (reported, exit 1).
 */
public record Scenario(String name, long seed, LinkSpec link, DeviceSpec device, List<FlowSpec> flows,
    long timeLimitNs)
{
    /** Copies the flow list. */
    public Scenario
    {
        flows = List.copyOf(flows);
    }

    /** @return how many flows in all. */
    public int flowCount()
    {
        int n = 0;
        for (final FlowSpec f : flows)
        {
            n += f.count();
        }
        return n;
    }

    /** @return application bytes of all flows, both ways (request-response: the responses only). */
    public long totalBytes()
    {
        long n = 0;
        for (final FlowSpec f : flows)
        {
            n += f.count() * f.bytes() * (f.workload() == Workload.REQUEST_RESPONSE ? 1 : 2);
        }
        return n;
    }

    /** @return this scenario with another link. */
    public Scenario withLink(final LinkSpec l)
    {
        return new Scenario(name, seed, l, device, flows, timeLimitNs);
    }

    /** @return this scenario with another seed (the wire's fault seed follows it). */
    public Scenario withSeed(final long s)
    {
        return new Scenario(name, s, new LinkSpec(link.latencyNs(), link.gigabitsPerSecond(), link.faults().withSeed(s)),
            device, flows, timeLimitNs);
    }
}
