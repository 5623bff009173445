package io.tlsnic.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.stack.net.Host;
import io.tlsnic.stack.net.IpAddress;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/**
 * Two hosts, each with its stack, driver and emulated NIC, the NICs joined by a link, all on one virtual clock.
 * Optionally taps every frame that crosses the link.
 */
final class NicHosts implements AutoCloseable
{
    final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    final HostMemory memoryA = new HostMemory();
    final HostMemory memoryB = new HostMemory();
    final Nic nicA;
    final Nic nicB;
    final NicDriver driverA;
    final NicDriver driverB;
    final Host a;
    final Host b;
    final Link link;
    final List<byte[]> tapped = new ArrayList<>();
    private final Agent[] agents;
    TcpConnection server;

    NicHosts(final NicConfig config, final LinkFaults faults, final long seed, final boolean tap)
    {
        this(config, faults, seed, tap, DriverConfig.defaults());
    }

    NicHosts(final NicConfig config, final LinkFaults faults, final long seed, final boolean tap,
        final DriverConfig driverConfig)
    {
        nicA = new Nic("nicA", config, memoryA, scheduler);
        nicB = new Nic("nicB", config, memoryB, scheduler);
        driverA = new NicDriver("ethA", nicA, memoryA, driverConfig);
        driverB = new NicDriver("ethB", nicB, memoryB, driverConfig);
        link = new Link(scheduler, nicA, nicB, 20_000, 100, faults);
        if (tap)
        {
            link.setTap((from, frame, length, timeNs) -> tapped.add(java.util.Arrays.copyOf(frame, length)));
        }
        a = new Host("a", IpAddress.parse("10.9.0.1"), 0x02_00_00_00_01_0AL, driverA, scheduler, seed);
        b = new Host("b", IpAddress.parse("10.9.0.2"), 0x02_00_00_00_01_0BL, driverB, scheduler, seed + 1);
        a.addNeighbour(b.address(), 0x02_00_00_00_01_0BL);
        b.addNeighbour(a.address(), 0x02_00_00_00_01_0AL);
        agents = new Agent[] {driverA, nicA, driverB, nicB};
    }

    TcpConnection connect(final int port, final TcpConfig config)
    {
        b.listen(port, config, c -> server = c);
        return a.connect(b.address(), port, config);
    }

    /** Drives agents and timers until {@code done} or {@code limitNs} of virtual time. */
    boolean runUntil(final BooleanSupplier done, final long limitNs)
    {
        return scheduler.runAgents(agents, limitNs, done);
    }

    @Override
    public void close()
    {
        memoryA.close();
        memoryB.close();
    }
}
