package io.tlsnic.harness.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import net.openhft.chronicle.bytes.BytesStore;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.driver.NicDriver;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.dev.RxHandler;
import io.tlsnic.stack.dev.TxPacket;
import io.tlsnic.wire.frame.FrameBuilder;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.link.LinkPort;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/**
 * Descriptors per second through the whole ring path, without crypto: 64-byte TCP frames (no TLS, no TSO, no
 * checksum offload) with the default driver and device configuration (512-entry rings, batch and NAPI budget 64).
 *
 * <ul>
 *   <li>{@link #tx}: the driver copies each frame into its TX buffer and posts a descriptor, rings the doorbell; the
 *       device reads the descriptor, DMAs the frame and puts it on its port (no offload asks it to parse the
 *       headers), whose link carries it to a port that counts it; the device posts a TX completion and the driver
 *       reaps it.</li>
 *   <li>{@link #rx}: frames arrive at the device's port; it parses them, checks checksums, hashes them (RSS),
 *       looks the flow up (no context), DMAs each into the next posted RX buffer and posts a completion; the driver
 *       reaps it, copies the frame out, hands it to an {@link RxHandler} that counts it, and reposts the buffer.</li>
 * </ul>
 *
 * One operation is one descriptor; an invocation posts {@link #BATCH} and drives the agents (and the link's
 * events, on the virtual clock) until all have come out the other end. Each iteration ends by checking that every
 * frame arrived, unmodified, and that the device counted each one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RingPathBenchmark
{
    /** Descriptors per invocation: half the default TX and RX rings, so a batch never waits for ring space. */
    public static final int BATCH = 256;
    /** Frame length: the Ethernet minimum without FCS (14 + 20 + 20 header bytes and 10 payload bytes). */
    public static final int FRAME_LENGTH = 64;

    private final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    private HostMemory memory;
    private Nic nic;
    private NicDriver driver;
    private Agent[] agents;
    private final CountingPort wire = new CountingPort();
    private final byte[] txFrame = new byte[FRAME_LENGTH];
    private final byte[] rxFrame = new byte[FRAME_LENGTH];
    private TxPacket packet;
    private long rxDelivered;
    private long rxWrong;
    private long txPosted;
    private long rxInjected;
    private long txTarget;
    private long rxTarget;
    private final BooleanSupplier txDone = () -> wire.frames >= txTarget;
    private final BooleanSupplier rxDone = () -> rxDelivered >= rxTarget;

    /** The far end of the link: counts frames and keeps the last one. */
    static final class CountingPort implements LinkPort
    {
        long frames;
        long wrongLength;
        byte[] last;

        @Override
        public void attach(final Link link)
        {
        }

        @Override
        public void receiveFrame(final byte[] frame, final int length)
        {
            frames++;
            if (length != FRAME_LENGTH)
            {
                wrongLength++;
            }
            last = frame;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        memory = new HostMemory();
        nic = new Nic("nic0", NicConfig.defaults(), memory, scheduler);
        driver = new NicDriver("eth0", nic, memory, DriverConfig.defaults());
        new Link(scheduler, nic, wire, 0, 100, LinkFaults.none());
        agents = new Agent[] {nic, driver};
        driver.setRxHandler((frame, offset, length, mark) ->
        {
            rxDelivered++;
            if (length != FRAME_LENGTH || mark != RxHandler.MARK_NONE
                || !Arrays.equals(frame, offset, offset + length, rxFrame, 0, FRAME_LENGTH))
            {
                rxWrong++;
            }
        });
        final int payloadLength = FRAME_LENGTH - 54;
        build(txFrame, 0x0A00_0001, 0x0A00_0002, 40000, 443, payloadLength, (byte)0x5A);
        build(rxFrame, 0x0A00_0002, 0x0A00_0001, 443, 40000, payloadLength, (byte)0xA5);
        packet = new TxPacket(txFrame, FRAME_LENGTH, FRAME_LENGTH - payloadLength, 1000, 0, null);
    }

    private static void build(final byte[] frame, final int src, final int dst, final int srcPort, final int dstPort,
        final int payloadLength, final byte fill)
    {
        final FrameBuilder builder = new FrameBuilder().ethernet(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L)
            .ipv4(src, dst).ports(srcPort, dstPort);
        Arrays.fill(frame, builder.headerLength(), builder.headerLength() + payloadLength, fill);
        final int length = builder.write(BytesStore.wrap(frame), 0, 1000, 1, TcpHeaderFlyweight.ACK
            | TcpHeaderFlyweight.PSH, 65535, payloadLength);
        if (length != FRAME_LENGTH)
        {
            throw new IllegalStateException("built a " + length + "-byte frame, expected " + FRAME_LENGTH);
        }
    }

    /** Driver posts, device transmits, link carries, driver reaps: {@link #BATCH} descriptors. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long tx()
    {
        for (int i = 0; i < BATCH; i++)
        {
            if (!driver.transmit(packet))
            {
                throw new IllegalStateException("driver refused descriptor " + txPosted + ": TX ring full");
            }
            txPosted++;
        }
        txTarget = txPosted;
        drive(txDone);
        return wire.frames;
    }

    /** Frames at the port, device receives into posted buffers, driver reaps and hands up: {@link #BATCH}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long rx()
    {
        for (int i = 0; i < BATCH; i++)
        {
            // Without a TLS context the device neither modifies nor keeps a frame once it is in host memory.
            nic.receiveFrame(rxFrame, FRAME_LENGTH);
        }
        rxInjected += BATCH;
        rxTarget = rxInjected;
        drive(rxDone);
        return rxDelivered;
    }

    private void drive(final BooleanSupplier done)
    {
        if (!scheduler.runAgents(agents, Long.MAX_VALUE, done))
        {
            throw new IllegalStateException("ring path stalled: " + nic + ", " + wire.frames + " frames on the wire, "
                + rxDelivered + " received");
        }
    }

    /** Every descriptor posted came out exact, and the device counted it. */
    @TearDown(Level.Iteration)
    public void verify()
    {
        if (wire.frames != txPosted || wire.wrongLength != 0
            || txPosted > 0 && !Arrays.equals(wire.last, 0, FRAME_LENGTH, txFrame, 0, FRAME_LENGTH))
        {
            throw new IllegalStateException("TX: " + txPosted + " posted, " + wire.frames + " on the wire, "
                + wire.wrongLength + " of the wrong length, or the last frame differs from the one posted");
        }
        if (nic.counters().get(NicCounters.TX_PACKETS) != txPosted)
        {
            throw new IllegalStateException("TX: device counted " + nic.counters().get(NicCounters.TX_PACKETS)
                + " packets, " + txPosted + " posted");
        }
        if (rxDelivered != rxInjected || rxWrong != 0 || nic.counters().get(NicCounters.RX_PACKETS) != rxInjected)
        {
            throw new IllegalStateException("RX: " + rxInjected + " frames injected, " + rxDelivered + " delivered, "
                + rxWrong + " wrong, device counted " + nic.counters().get(NicCounters.RX_PACKETS));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        memory.close();
    }
}
