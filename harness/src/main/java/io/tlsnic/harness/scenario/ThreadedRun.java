package io.tlsnic.harness.scenario;

import java.util.concurrent.atomic.AtomicBoolean;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.driver.DriverCounter;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpCounter;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.sim.AgentRunner;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.NanoClock;
import io.tlsnic.wire.sim.VirtualClock;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Threaded mode, end to end: two hosts and their NICs on two threads, TLS flows moving bytes each way, every byte
 * checked. The host thread runs both hosts (TCP, kTLS, the applications and the TCP timers) and both drivers; the
 * device thread runs both NICs and the link (its wire delay and seeded faults). They meet only where a real host
 * and device do: rings and doorbells (ordered stores, acquire loads), the register file, host memory reached by
 * DMA, and the device counters, each of which has one writer. Each thread has its own scheduler, whose virtual
 * clock follows the wall clock both read.
 *
 * <p>Offload: the NICs offer TLS 1.2/1.3 AES-GCM and the hosts install every direction on them. Software: the
 * same NICs with no TLS capability (rings, TSO and checksums still on the device), so the hosts encrypt and
 * decrypt; the same inputs, the same threads.
 *
 * <p>TCP timers run on wall-clock time here. The minimum RTO is {@link #MIN_RTO_NS} (50 ms, a quarter of Linux's
 * 200 ms): the RTT between the threads is tens of microseconds, but on a shared machine either thread can be off its
 * core for tens of milliseconds, and a smaller minimum (1 ms and 10 ms were tried) turned those pauses into spurious
 * timeouts, each collapsing the congestion window; losses are repaired by SACK fast retransmit, and the minimum is
 * paid only by tail losses. The delayed-ACK timer is {@link #DELAYED_ACK_NS}. Each NIC gets
 * {@link #RX_RING_SIZE} RX buffers, room for every flow's receive window.
 */
public final class ThreadedRun
{
    /** Minimum retransmission timeout on wall-clock time. */
    public static final long MIN_RTO_NS = 50_000_000L;
    /** Initial RTO (SYN), on wall-clock time. */
    public static final long INITIAL_RTO_NS = 200_000_000L;
    /** Delayed-ACK timer, on wall-clock time. */
    public static final long DELAYED_ACK_NS = 200_000L;
    /** RX buffers per NIC. */
    public static final int RX_RING_SIZE = 2048;
    /** Burst of cycles a run may take: far beyond any run that finishes (about a minute of idle spinning). */
    public static final long DEFAULT_CYCLE_LIMIT = 2_000_000_000L;

    /**
     * What a run measured.
     *
     * @param payloadBytes application bytes moved and checked (both directions of every flow).
     * @param transferNs wall-clock time from the start of the transfer to the last byte checked.
     * @param setupNs wall-clock time of the set-up before it (connections, kTLS, context installs).
     * @param hostCycles duty cycles of the host thread.
     * @param deviceCycles duty cycles of the device thread.
     * @param recordsDevice records the device decrypted whole.
     * @param recordsMixed records it decrypted in part.
     * @param recordsSoftware records the hosts decrypted.
     * @param framesDropped frames the link lost.
     * @param framesCarried frames the link carried.
     * @param retransmittedSegments TCP segments sent again (both ends of every connection).
     * @param timeouts retransmission timeouts that fired with data outstanding.
     * @param rxDroppedNoBuffer frames the NICs dropped for want of a posted RX buffer.
     * @param hostBusyNs wall-clock time of the host thread's duty cycles that did work (set-up and transfer).
     * @param deviceBusyNs the same for the device thread.
     */
    public record Result(long payloadBytes, long transferNs, long setupNs, long hostCycles, long deviceCycles,
        long recordsDevice, long recordsMixed, long recordsSoftware, long framesDropped, long framesCarried,
        long retransmittedSegments, long timeouts, long rxDroppedNoBuffer, long hostBusyNs, long deviceBusyNs)
    {
        /** @return payload megabytes (10^6 bytes) per second of transfer. */
        public double megabytesPerSecond()
        {
            return payloadBytes * 1e3 / transferNs;
        }
    }

    private ThreadedRun()
    {
    }

    /**
     * Runs {@code flows} TLS 1.3 AES-128-GCM flows, {@code bytes} each way, over a link that loses
     * {@code lossPercent} of its frames, until every byte arrived and was checked.
     *
     * @param offload whether the NICs offload TLS (false: the hosts encrypt and decrypt).
     * @param lossPercent frames lost on the link, 0..100 (seeded from {@code seed}).
     * @param flows connections at once.
     * @param bytes bytes each flow sends each way.
     * @param seed seed of keys, data, TCP initial sequence numbers and link faults.
     * @param cycleLimit most duty cycles either thread runs before the run fails as stuck.
     * @return what the run measured.
     * @throws Flow.WrongBytesException if any received byte differs from the byte sent.
     * @throws IllegalStateException if the run did not finish (cycle limit, or a thread failed: its cause).
     */
    public static Result run(final boolean offload, final double lossPercent, final int flows, final long bytes,
        final long seed, final long cycleLimit)
    {
        final NicConfig nic = new NicConfig(1, 65536, Math.max(64, 4 * flows),
            offload ? DeviceCapabilities.defaults() : DeviceCapabilities.none(), 2_000, 64);
        final TcpConfig tcp = TcpConfig.builder().tso(true).minRtoNs(MIN_RTO_NS).initialRtoNs(INITIAL_RTO_NS)
            .delayedAckNs(DELAYED_ACK_NS).build();
        final EventScheduler hostScheduler = new EventScheduler(new VirtualClock());
        final EventScheduler deviceScheduler = new EventScheduler(new VirtualClock());
        final AtomicBoolean stop = new AtomicBoolean();
        final long origin = System.nanoTime();
        final NanoClock time = () -> System.nanoTime() - origin;
        // RX ring: room for every flow's receive window (4 x 256 KiB of 1448-byte segments, about 725 frames), as a
        // host sized for the load would have; with the default 512 a host thread off its core loses frames.
        final DriverConfig driver = new DriverConfig(512, RX_RING_SIZE, 2 * RX_RING_SIZE, 64, 2048, 64, 64000,
            DriverConfig.TxResyncStrategy.REBUILD, 0, DriverConfig.Napi.busyPoll());
        try (Network net = new Network(hostScheduler, deviceScheduler, nic, driver,
            new LinkFaults(lossPercent, 0, 0, 0, seed), seed))
        {
            final long contexts = offload ? 4L * flows : 0;
            final BulkApplication app = new BulkApplication(net, tcp, new PatternData(seed), flows, bytes, seed,
                TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, () -> net.driverA.counter(DriverCounter.TLS_INSTALLED)
                    + net.driverB.counter(DriverCounter.TLS_INSTALLED) == contexts, time, stop);
            final AgentRunner host = new AgentRunner("host", hostScheduler, time,
                net.hostAgents(app), stop, cycleLimit);
            final AgentRunner device = new AgentRunner("device", deviceScheduler, time, net.deviceAgents(), stop,
                cycleLimit);
            runBoth(host, device, app);
            if (!app.finished())
            {
                throw new IllegalStateException("threaded run stopped before every byte arrived (seed " + seed + "): "
                    + app);
            }
            return result(net, app, host, device, offload, 2L * flows * bytes);
        }
    }

    /** Runs both sides on threads of their own and joins them; rethrows the first failure. */
    private static void runBoth(final AgentRunner host, final AgentRunner device, final BulkApplication app)
    {
        final Thread deviceThread = new Thread(device, "tlsnic-device");
        final Thread hostThread = new Thread(host, "tlsnic-host");
        deviceThread.start();
        hostThread.start();
        try
        {
            hostThread.join();
            deviceThread.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the threaded run", e);
        }
        for (final AgentRunner r : new AgentRunner[] {host, device})
        {
            final Throwable t = r.failure();
            if (t instanceof Flow.WrongBytesException w)
            {
                throw w;
            }
            if (t != null)
            {
                throw new IllegalStateException("the " + r.name() + " thread failed: " + t + "; " + app, t);
            }
        }
    }

    private static Result result(final Network net, final BulkApplication app, final AgentRunner host,
        final AgentRunner device, final boolean offload, final long payloadBytes)
    {
        long recordsDevice = 0;
        long recordsMixed = 0;
        long recordsSoftware = 0;
        for (final BulkFlow f : app.flows())
        {
            if (f.txOffloaded() != offload || f.anyRxOffloaded() != offload)
            {
                throw new IllegalStateException("a flow's kTLS ran " + (offload ? "in software" : "on the device")
                    + " in a run that " + (offload ? "offloads" : "does not offload"));
            }
            recordsDevice += f.countersA.get(TlsStat.TLS_RX_RECORD_DEVICE)
                + f.countersB.get(TlsStat.TLS_RX_RECORD_DEVICE);
            recordsMixed += f.countersA.get(TlsStat.TLS_RX_RECORD_MIXED) + f.countersB.get(TlsStat.TLS_RX_RECORD_MIXED);
            recordsSoftware += f.countersA.get(TlsStat.TLS_RX_RECORD_SW) + f.countersB.get(TlsStat.TLS_RX_RECORD_SW);
        }
        return new Result(payloadBytes, app.transferNs(), app.setupNs(), host.cycles(), device.cycles(),
            recordsDevice, recordsMixed, recordsSoftware, net.link.framesDropped(), net.link.framesCarried(),
            app.tcpCount(TcpCounter.RETRANS_SEGS), app.tcpCount(TcpCounter.TIMEOUTS),
            net.nicA.counters().get(NicCounters.RX_DROPPED_NO_BUFFER)
                + net.nicB.counters().get(NicCounters.RX_DROPPED_NO_BUFFER), host.busyNs(), device.busyNs());
    }
}
