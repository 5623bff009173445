package io.tlsnic.harness.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.driver.NicDriver;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.stack.net.Host;
import io.tlsnic.stack.net.IpAddress;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/**
 * Two hosts (stack + driver + NIC) joined by a link. Deterministic mode: one virtual clock and one scheduler for
 * everything. Threaded mode: the host side (both hosts with their drivers, and their TCP timers) on one scheduler,
 * the device side (both NICs and the link) on another, each driven by its own thread ({@link ThreadedRun}).
 */
public final class Network implements AutoCloseable
{
    /** The host side's scheduler (TCP timers); in deterministic mode the only one. */
    final EventScheduler scheduler;
    /** The device side's scheduler (wire delay, command latency, interrupt moderation). */
    final EventScheduler deviceScheduler;
    private final HostMemory memoryA = new HostMemory();
    private final HostMemory memoryB = new HostMemory();
    final Nic nicA;
    final Nic nicB;
    final NicDriver driverA;
    final NicDriver driverB;
    final Host a;
    final Host b;
    final Link link;
    private final Agent[] agents;
    private int nextPort = 4430;

    /**
     * @param nic device parameters (both NICs).
     * @param driver driver parameters (both drivers).
     * @param faults link faults.
     * @param seed seed for TCP initial sequence numbers.
     */
    public Network(final NicConfig nic, final DriverConfig driver, final LinkFaults faults, final long seed)
    {
        this(nic, driver, 20_000, 100, faults, seed);
    }

    /**
     * @param nic device parameters (both NICs).
     * @param driver driver parameters (both drivers).
     * @param latencyNs one-way wire latency.
     * @param gigabitsPerSecond line rate.
     * @param faults link faults.
     * @param seed seed for TCP initial sequence numbers.
     */
    public Network(final NicConfig nic, final DriverConfig driver, final long latencyNs, final double gigabitsPerSecond,
        final LinkFaults faults, final long seed)
    {
        this(new EventScheduler(new VirtualClock()), null, nic, driver, latencyNs, gigabitsPerSecond, faults, seed);
    }

    /**
     * @param hostScheduler timers of both hosts.
     * @param deviceScheduler timers of both NICs and the link, or {@code null} to share {@code hostScheduler}.
     * @param nic device parameters (both NICs).
     * @param driver driver parameters (both drivers).
     * @param faults link faults.
     * @param seed seed for TCP initial sequence numbers.
     */
    Network(final EventScheduler hostScheduler, final EventScheduler deviceScheduler, final NicConfig nic,
        final DriverConfig driver, final LinkFaults faults, final long seed)
    {
        this(hostScheduler, deviceScheduler, nic, driver, 20_000, 100, faults, seed);
    }

    private Network(final EventScheduler hostScheduler, final EventScheduler deviceScheduler, final NicConfig nic,
        final DriverConfig driver, final long latencyNs, final double gigabitsPerSecond, final LinkFaults faults,
        final long seed)
    {
        this.scheduler = hostScheduler;
        this.deviceScheduler = deviceScheduler != null ? deviceScheduler : hostScheduler;
        nicA = new Nic("nicA", nic, memoryA, this.deviceScheduler);
        nicB = new Nic("nicB", nic, memoryB, this.deviceScheduler);
        driverA = new NicDriver("ethA", nicA, memoryA, driver);
        driverB = new NicDriver("ethB", nicB, memoryB, driver);
        link = new Link(this.deviceScheduler, nicA, nicB, latencyNs, gigabitsPerSecond, faults);
        a = new Host("a", IpAddress.parse("10.9.0.1"), 0x02_00_00_00_01_0AL, driverA, scheduler, seed);
        b = new Host("b", IpAddress.parse("10.9.0.2"), 0x02_00_00_00_01_0BL, driverB, scheduler, seed + 1);
        a.addNeighbour(b.address(), 0x02_00_00_00_01_0BL);
        b.addNeighbour(a.address(), 0x02_00_00_00_01_0AL);
        agents = new Agent[] {driverA, nicA, driverB, nicB};
    }

    /**
     * @param application the applications on the hosts.
     * @return the host side's agents: both drivers (their NAPI polls run on the hosts' thread), then the application.
     */
    Agent[] hostAgents(final Agent application)
    {
        return new Agent[] {driverA, driverB, application};
    }

    /** @return the device side's agents: both NICs (the link runs on their scheduler's events). */
    Agent[] deviceAgents()
    {
        return new Agent[] {nicA, nicB};
    }

    int nextPort()
    {
        return nextPort++;
    }

    /** Drives agents and timers until {@code done} or {@code limitNs} of virtual time from now. */
    boolean runFor(final BooleanSupplier done, final long limitNs)
    {
        return scheduler.runAgents(agents, scheduler.nowNs() + limitNs, done);
    }

    /** @return the scheduler (and virtual clock) every component of both hosts runs on. */
    public EventScheduler scheduler()
    {
        return scheduler;
    }

    /** @return host a (address 10.9.0.1), on NIC a. */
    public Host hostA()
    {
        return a;
    }

    /** @return host b (address 10.9.0.2), on NIC b. */
    public Host hostB()
    {
        return b;
    }

    /** @return host a's driver. */
    public NicDriver driverA()
    {
        return driverA;
    }

    /** @return host b's driver. */
    public NicDriver driverB()
    {
        return driverB;
    }

    /** @return both NICs. */
    public List<Nic> nics()
    {
        final List<Nic> nics = new ArrayList<>();
        nics.add(nicA);
        nics.add(nicB);
        return nics;
    }

    @Override
    public void close()
    {
        memoryA.close();
        memoryB.close();
    }
}
