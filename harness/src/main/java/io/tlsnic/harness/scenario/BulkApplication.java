package io.tlsnic.harness.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.NanoClock;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The applications on both hosts of a threaded run, as an agent on the host thread: opens the TCP connections,
 * sets kTLS on them once they are established, waits until the devices are ready (every context installed, when
 * they offload), then moves every flow's bytes each way, checking each one. It reads the shared clock when the
 * transfer starts and when the last byte has been checked, and then sets the run's stop flag.
 */
final class BulkApplication implements Agent
{
    private enum Phase
    {
        OPEN, CONNECTING, INSTALLING, TRANSFER, DONE
    }

    private final Network net;
    private final TcpConfig tcp;
    private final PatternData data;
    private final int flowCount;
    private final long bytes;
    private final long seed;
    private final TlsVersion version;
    private final TlsCipher cipher;
    private final BooleanSupplier devicesReady;
    private final NanoClock time;
    private final AtomicBoolean stop;
    private final TcpConnection[] clients;
    private final TcpConnection[] servers;
    private final List<BulkFlow> flows = new ArrayList<>();
    private Phase phase = Phase.OPEN;
    private volatile long transferStartNs;
    private volatile long transferEndNs;
    private volatile boolean finished;

    /**
     * @param net the hosts (the caller's thread only builds; this agent's thread then owns the host side).
     * @param tcp TCP settings of every connection.
     * @param data the pattern every flow carries.
     * @param flowCount flows.
     * @param bytes bytes each flow moves each way.
     * @param seed seed of the keys and shifts of the flows.
     * @param version TLS version of every flow.
     * @param cipher cipher of every flow.
     * @param devicesReady true once the transfer may start (every context the devices were asked to install is).
     * @param time the shared clock.
     * @param stop the run's stop flag, set when every byte has been checked.
     */
    BulkApplication(final Network net, final TcpConfig tcp, final PatternData data, final int flowCount,
        final long bytes, final long seed, final TlsVersion version, final TlsCipher cipher,
        final BooleanSupplier devicesReady, final NanoClock time, final AtomicBoolean stop)
    {
        this.net = net;
        this.tcp = tcp;
        this.data = data;
        this.flowCount = flowCount;
        this.bytes = bytes;
        this.seed = seed;
        this.version = version;
        this.cipher = cipher;
        this.devicesReady = devicesReady;
        this.time = time;
        this.stop = stop;
        this.clients = new TcpConnection[flowCount];
        this.servers = new TcpConnection[flowCount];
    }

    @Override
    public int doWork()
    {
        switch (phase)
        {
            case OPEN:
                open();
                return 1;
            case CONNECTING:
                return connected() ? 1 : 0;
            case INSTALLING:
                if (!devicesReady.getAsBoolean())
                {
                    return 0;
                }
                transferStartNs = time.nanoTime();
                phase = Phase.TRANSFER;
                return 1;
            case TRANSFER:
                return transfer();
            default:
                return 0;
        }
    }

    private void open()
    {
        for (int i = 0; i < flowCount; i++)
        {
            final int flow = i;
            final int port = net.nextPort();
            net.b.listen(port, tcp, c -> servers[flow] = c);
            clients[i] = net.a.connect(net.b.address(), port, tcp);
        }
        phase = Phase.CONNECTING;
    }

    private boolean connected()
    {
        for (int i = 0; i < flowCount; i++)
        {
            if (clients[i].state() != TcpState.ESTABLISHED || servers[i] == null
                || servers[i].state() != TcpState.ESTABLISHED)
            {
                return false;
            }
        }
        for (int i = 0; i < flowCount; i++)
        {
            flows.add(new BulkFlow(net.a, clients[i], net.b, servers[i], data, version, cipher, bytes,
                seed * 1_000_003L + i));
        }
        phase = Phase.INSTALLING;
        return true;
    }

    private int transfer()
    {
        int moved = 0;
        boolean all = true;
        for (final BulkFlow f : flows)
        {
            moved += f.step();
            all &= f.done();
        }
        if (all)
        {
            transferEndNs = time.nanoTime();
            finished = true;
            phase = Phase.DONE;
            stop.set(true);
        }
        return moved;
    }

    @Override
    public String roleName()
    {
        return "applications";
    }

    /** @return the phase and each flow's progress, for the message of a run that did not finish. */
    @Override
    public String toString()
    {
        final StringBuilder b = new StringBuilder("applications in phase ").append(phase);
        for (int i = 0; i < flowCount; i++)
        {
            b.append("; flow ").append(i).append(": ");
            if (i < flows.size())
            {
                b.append(flows.get(i));
            }
            else
            {
                b.append(clients[i] == null ? "not opened" : clients[i].state() + " / "
                    + (servers[i] == null ? "no SYN yet" : servers[i].state()));
            }
        }
        return b.toString();
    }

    /**
     * @param counter a TCP counter.
     * @return its sum over both ends of every connection (read after the host thread has been joined).
     */
    long tcpCount(final io.tlsnic.stack.tcp.TcpCounter counter)
    {
        long sum = 0;
        for (int i = 0; i < flowCount; i++)
        {
            sum += clients[i] == null ? 0 : clients[i].counters().get(counter);
            sum += servers[i] == null ? 0 : servers[i].counters().get(counter);
        }
        return sum;
    }

    /** @return the flows, once set up (read them after the host thread has been joined). */
    List<BulkFlow> flows()
    {
        return flows;
    }

    /** @return whether every byte arrived and was checked. */
    boolean finished()
    {
        return finished;
    }

    /** @return wall-clock nanoseconds from the start of the transfer to the last byte checked. */
    long transferNs()
    {
        return transferEndNs - transferStartNs;
    }

    /** @return wall-clock nanoseconds of the set-up: connections, kTLS, context installs. */
    long setupNs()
    {
        return transferStartNs;
    }
}
