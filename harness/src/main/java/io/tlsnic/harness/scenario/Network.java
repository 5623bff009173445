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

/** Two hosts (stack + driver + NIC) joined by a link, on one virtual clock. */
public final class Network implements AutoCloseable
{
    final EventScheduler scheduler = new EventScheduler(new VirtualClock());
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
        nicA = new Nic("nicA", nic, memoryA, scheduler);
        nicB = new Nic("nicB", nic, memoryB, scheduler);
        driverA = new NicDriver("ethA", nicA, memoryA, driver);
        driverB = new NicDriver("ethB", nicB, memoryB, driver);
        link = new Link(scheduler, nicA, nicB, latencyNs, gigabitsPerSecond, faults);
        a = new Host("a", IpAddress.parse("10.9.0.1"), 0x02_00_00_00_01_0AL, driverA, scheduler, seed);
        b = new Host("b", IpAddress.parse("10.9.0.2"), 0x02_00_00_00_01_0BL, driverB, scheduler, seed + 1);
        a.addNeighbour(b.address(), 0x02_00_00_00_01_0BL);
        b.addNeighbour(a.address(), 0x02_00_00_00_01_0AL);
        agents = new Agent[] {driverA, nicA, driverB, nicB};
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
