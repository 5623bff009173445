package io.tlsnic.stack.testing;

import io.tlsnic.stack.net.Host;
import io.tlsnic.stack.net.IpAddress;
import io.tlsnic.stack.net.SoftwareDevice;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/** Two hosts joined by a software wire, for tests. */
public final class TwoHosts
{
    public final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    public final SoftwareDevice devA = new SoftwareDevice("a0");
    public final SoftwareDevice devB = new SoftwareDevice("b0");
    public final Link wire;
    public final Host a;
    public final Host b;
    public TcpConnection server;

    public TwoHosts(final IpAddress addrA, final IpAddress addrB, final LinkFaults faults, final long seed)
    {
        wire = new Link(scheduler, devA, devB, 20_000, 10, faults);
        a = new Host("a", addrA, 0x02_00_00_00_00_0AL, devA, scheduler, seed);
        b = new Host("b", addrB, 0x02_00_00_00_00_0BL, devB, scheduler, seed + 1);
        a.addNeighbour(addrB, 0x02_00_00_00_00_0BL);
        b.addNeighbour(addrA, 0x02_00_00_00_00_0AL);
    }

    public TcpConnection connect(final int port, final TcpConfig config)
    {
        b.listen(port, config, c -> server = c);
        return a.connect(b.address(), port, config);
    }

    /** Runs timers until {@code done} or virtual time passes {@code limitNs}. */
    public boolean runUntil(final java.util.function.BooleanSupplier done, final long limitNs)
    {
        while (!done.getAsBoolean())
        {
            if (scheduler.nowNs() > limitNs || !scheduler.advanceToNext())
            {
                return done.getAsBoolean();
            }
        }
        return true;
    }
}
