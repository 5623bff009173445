package io.tlsnic.harness.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import net.openhft.chronicle.bytes.BytesStore;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.driver.NicDriver;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.flow.Direction;
import io.tlsnic.nic.flow.FlowContextTable;
import io.tlsnic.nic.flow.FlowKey;
import io.tlsnic.nic.flow.InstallResult;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.dev.RxHandler;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.frame.FrameBuilder;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * How the device's context state scales with the number of flows.
 *
 * <ul>
 *   <li>{@link #install} / {@link #remove}: filling a {@link FlowContextTable} of {@link #TABLE_CAPACITY} slots
 *       with TLS 1.3 AES-128-GCM RX contexts, one distinct flow each, and emptying it again; one operation is one
 *       install or remove (single shot: one invocation fills or empties the whole table).</li>
 *   <li>{@link #measureMemory}: bytes per context of a full table, computed from its arrays and measured as heap
 *       growth (not a JMH benchmark: it runs in the caller's JVM).</li>
 *   <li>{@link #rxDecrypt}: frames each holding one whole 1 KiB TLS 1.3 record, for {@code flows} flows in
 *       round-robin order, arrive at the device's port and go through the RX path with inline decryption (context
 *       lookup, cache, decrypt, DMA, completion, driver, handler). The device's context cache keeps
 *       {@link #CACHE_CAPACITY} states, so past that many flows nearly every frame misses and expands its state
 *       from the table. One operation is one frame.</li>
 * </ul>
 *
 * Every record is sealed by {@link RecordCipher} (independent of the device's engine); the handler checks that
 * every frame is marked decrypted and carries the plaintext, and each iteration fails if one is not.
 */
public class ContextScaleBenchmark
{
    /** Table slots for the install/remove and memory figures. */
    public static final int TABLE_CAPACITY = 1_000_000;
    /** Engine states the device caches in {@link #rxDecrypt}. */
    public static final int CACHE_CAPACITY = 1024;
    /** Plaintext bytes of each record in {@link #rxDecrypt}: one record per frame. */
    public static final int RECORD_LENGTH = 1024;
    /** Frames per {@link #rxDecrypt} invocation: the device's batch. */
    public static final int RX_BATCH = 64;
    /** Records prepared per run of {@link #rxDecrypt}, spread over the flows (at least one per flow). */
    static final int FRAME_BUDGET = 1 << 17;
    private static final int START_SEQ = 1_000_000;
    private static final int SERVER = 0x0A00_0001;
    private static final TlsVersion VERSION = TlsVersion.TLS_1_3;
    private static final TlsCipher CIPHER = TlsCipher.AES_GCM_128;

    /** Distinct flow {@code i}: the peer's address and port vary, as they would across clients. */
    static FlowKey flow(final FlowKey key, final int i)
    {
        return key.setIpv4(Direction.RX, peerAddress(i), SERVER, peerPort(i), 443);
    }

    private static int peerAddress(final int i)
    {
        return 0x0B00_0000 + i;
    }

    private static int peerPort(final int i)
    {
        return 1024 + i % 60000;
    }

    /** Key material of flow {@code i} in crypto_info form. */
    static CryptoInfo cryptoInfo(final int i)
    {
        final SplittableRandom random = new SplittableRandom(i);
        final byte[] key = new byte[CIPHER.keyLength()];
        final byte[] salt = new byte[CIPHER.saltLength()];
        final byte[] iv = new byte[CIPHER.ivLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        random.nextBytes(iv);
        return CryptoInfo.of(VERSION, CIPHER, iv, key, salt, 0);
    }

    // ------------------------------------------------------------------------------------- install and remove

    /** A table of {@link #TABLE_CAPACITY} slots and the inputs to fill it. */
    @State(Scope.Thread)
    public abstract static class TableState
    {
        final FlowContextTable table = new FlowContextTable(TABLE_CAPACITY, DeviceCapabilities.defaults());
        final byte[] info = cryptoInfo(1).toBytes();
        final FlowKey key = new FlowKey();
        long failures;

        void fill()
        {
            for (int i = 0; i < TABLE_CAPACITY; i++)
            {
                if (table.install(i + 1, flow(key, i), info, 0, info.length, START_SEQ) != InstallResult.INSTALLED)
                {
                    failures++;
                }
            }
        }

        void empty()
        {
            for (int i = 0; i < TABLE_CAPACITY; i++)
            {
                if (!table.remove(i + 1))
                {
                    failures++;
                }
            }
        }

        /** Checks size, failures and a sample of look-ups by flow. */
        void check(final boolean full)
        {
            if (failures != 0 || table.size() != (full ? TABLE_CAPACITY : 0))
            {
                throw new IllegalStateException(failures + " installs or removes failed; table holds " + table.size()
                    + " contexts, expected " + (full ? TABLE_CAPACITY : 0));
            }
            for (int i = 0; i < TABLE_CAPACITY; i += 997)
            {
                final int slot = table.lookup(flow(key, i));
                if (full ? slot < 0 || table.contextId(slot) != i + 1 : slot >= 0)
                {
                    throw new IllegalStateException("flow " + i + " looks up to slot " + slot
                        + (full ? ", expected its context " + (i + 1) : " after removal"));
                }
            }
        }
    }

    /** Empty before each fill. */
    public static class EmptyTable extends TableState
    {
        @Setup(Level.Invocation)
        public void makeEmpty()
        {
            if (table.size() > 0)
            {
                empty();
            }
        }

        @TearDown(Level.Invocation)
        public void verifyFull()
        {
            check(true);
        }
    }

    /** Full before each removal. */
    public static class FullTable extends TableState
    {
        @Setup(Level.Invocation)
        public void makeFull()
        {
            if (table.size() == 0)
            {
                fill();
            }
        }

        @TearDown(Level.Invocation)
        public void verifyEmpty()
        {
            check(false);
        }
    }

    /** Fills an empty table of {@link #TABLE_CAPACITY}: score is time per install. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(TABLE_CAPACITY)
    public int install(final EmptyTable s)
    {
        s.fill();
        return s.table.size();
    }

    /** Empties a full table: score is time per remove. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(TABLE_CAPACITY)
    public int remove(final FullTable s)
    {
        s.empty();
        return s.table.size();
    }

    // ------------------------------------------------------------------------------------------------- memory

    /**
     * Bytes per context of a table of {@code capacity} slots, outside the context cache.
     *
     * @param computedBytes the table's own count of its arrays per slot ({@link FlowContextTable#bytesPerContext()}).
     * @param heapBytesPerSlot heap growth from creating the table, per slot (MemoryMXBean, after GC).
     * @param heapBytesPerInstall heap growth from filling it, per installed context.
     */
    public record MemoryFigures(int computedBytes, double heapBytesPerSlot, double heapBytesPerInstall)
    {
    }

    /**
     * Builds a table, fills it and measures the heap it takes. Run it in a JVM with little else live.
     *
     * @param capacity slots.
     * @return the figures.
     */
    public static MemoryFigures measureMemory(final int capacity)
    {
        final MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        final long before = usedAfterGc(bean);
        final FlowContextTable table = new FlowContextTable(capacity, DeviceCapabilities.defaults());
        final long built = usedAfterGc(bean);
        final byte[] info = cryptoInfo(1).toBytes();
        final FlowKey key = new FlowKey();
        for (int i = 0; i < capacity; i++)
        {
            if (table.install(i + 1, flow(key, i), info, 0, info.length, START_SEQ) != InstallResult.INSTALLED)
            {
                throw new IllegalStateException("install " + i + " of " + capacity + " failed");
            }
        }
        final long filled = usedAfterGc(bean);
        final MemoryFigures figures = new MemoryFigures(table.bytesPerContext(), (built - before) / (double)capacity,
            (filled - built) / (double)capacity);
        Reference.reachabilityFence(table);
        return figures;
    }

    private static long usedAfterGc(final MemoryMXBean bean)
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return bean.getHeapMemoryUsage().getUsed();
    }

    // ---------------------------------------------------------------------------------------- RX with N flows

    /** Context-cache hits and misses during the measured iterations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CacheCounters
    {
        /** ctx_cache_hit (plus the misses the benchmark itself causes by rewinding flows; see RxFlows). */
        public long cacheHits;
        /** ctx_cache_miss (less those). */
        public long cacheMisses;

        @Setup(Level.Iteration)
        public void reset()
        {
            cacheHits = 0;
            cacheMisses = 0;
        }
    }

    /**
     * A device with {@code flows} RX contexts and, per flow, consecutive records sealed ahead. When every prepared
     * frame has been sent, each flow's context is moved back to its first record (a resync, as the host answers a
     * resync request) so the same frames are valid again. A resync drops the flow's cached state. In strict
     * round-robin order with no more flows than cache entries nothing is ever evicted, so the miss that follows is
     * one the traffic would not have caused and {@link CacheCounters} counts it as a hit; with more flows than
     * entries every state is evicted before its flow comes round again, so that miss would have happened anyway.
     */
    @State(Scope.Thread)
    public static class RxFlows
    {
        @Param({"10", "1000", "100000"})
        public int flows;

        private final EventScheduler scheduler = new EventScheduler(new VirtualClock());
        private HostMemory memory;
        private Nic nic;
        private Agent[] agents;
        private byte[][] frames;
        private int frameLength;
        private int position;
        private final byte[] plain = new byte[RECORD_LENGTH];
        private int plainOffset;
        private long injected;
        private long delivered;
        private long wrong;
        private long rewoundCached;
        private long lastHits;
        private long lastMisses;
        private long lastRewound;
        private final BooleanSupplier done = () -> delivered >= injected;

        @Setup(Level.Trial)
        public void setUp()
        {
            memory = new HostMemory();
            nic = new Nic("nic0", new NicConfig(1, flows, CACHE_CAPACITY, DeviceCapabilities.defaults(), 2_000, 64),
                memory, scheduler);
            final NicDriver driver = new NicDriver("eth0", nic, memory, DriverConfig.defaults());
            agents = new Agent[] {nic, driver};
            new SplittableRandom(7).nextBytes(plain);
            final RecordCipher probe = new RecordCipher(VERSION, CIPHER, new byte[16], new byte[4], new byte[8], 0);
            final int wireLength = probe.sealedLength(RECORD_LENGTH, 0);
            final FrameBuilder builder = new FrameBuilder().ethernet(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L);
            final int header = builder.headerLength();
            frameLength = header + wireLength;
            plainOffset = header + 5;
            final int recordsPerFlow = Math.max(1, FRAME_BUDGET / flows);
            frames = new byte[flows * recordsPerFlow][];
            final FlowKey key = new FlowKey();
            for (int f = 0; f < flows; f++)
            {
                final CryptoInfo info = cryptoInfo(f);
                final byte[] bytes = info.toBytes();
                final InstallResult installed = nic.contexts().install(f + 1, flow(key, f), bytes, 0, bytes.length,
                    START_SEQ);
                if (installed != InstallResult.INSTALLED)
                {
                    throw new IllegalStateException("flow " + f + ": " + installed);
                }
                final RecordCipher cipher = new RecordCipher(VERSION, CIPHER, info.key(), info.salt(), info.iv(), 0);
                builder.ipv4(peerAddress(f), SERVER).ports(peerPort(f), 443);
                for (int r = 0; r < recordsPerFlow; r++)
                {
                    final byte[] frame = new byte[frameLength];
                    cipher.seal(r, 23, plain, 0, RECORD_LENGTH, 0, frame, header);
                    builder.write(BytesStore.wrap(frame), 0, START_SEQ + (long)r * wireLength, 1,
                        TcpHeaderFlyweight.ACK | TcpHeaderFlyweight.PSH, 65535, wireLength);
                    frames[r * flows + f] = frame;
                }
                info.destroy();
            }
            driver.setRxHandler((frame, offset, length, mark) ->
            {
                delivered++;
                if (mark != RxHandler.MARK_DECRYPTED || length != frameLength
                    || !Arrays.equals(frame, offset + plainOffset, offset + plainOffset + RECORD_LENGTH, plain, 0,
                        RECORD_LENGTH))
                {
                    wrong++;
                }
            });
        }

        /** Moves every flow back to its first record once all prepared frames were received. */
        void rewind()
        {
            if (!scheduler.runAgents(agents, Long.MAX_VALUE, done))
            {
                throw new IllegalStateException("RX path stalled: " + nic);
            }
            final FlowContextTable table = nic.contexts();
            for (int f = 0; f < flows; f++)
            {
                final int slot = table.slotOf(f + 1);
                if (flows <= CACHE_CAPACITY && nic.contextCache().contains(slot))
                {
                    rewoundCached++;
                }
                // Not something a host can ask (a resync never moves a tracker backwards): the benchmark drops the
                // flow's cached state and points the slot at the first record, so the same frames are new again.
                nic.contextCache().invalidate(slot);
                table.resync(slot, START_SEQ, 0);
            }
            position = 0;
        }

        @TearDown(Level.Iteration)
        public void verify()
        {
            final long decrypted = nic.counters().get(NicCounters.RX_TLS_DECRYPTED_PACKETS);
            if (wrong != 0 || delivered != injected || decrypted != injected)
            {
                throw new IllegalStateException(flows + " flows: " + injected + " frames sent, " + delivered
                    + " delivered, " + wrong + " not marked decrypted or not the plaintext, device decrypted "
                    + decrypted);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /** {@link #RX_BATCH} frames through the RX path with inline decryption, flows in round-robin order. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RX_BATCH)
    public long rxDecrypt(final RxFlows s, final CacheCounters c)
    {
        for (int i = 0; i < RX_BATCH; i++)
        {
            if (s.position == s.frames.length)
            {
                s.rewind();
            }
            // A fresh buffer per frame, as the link delivers them: the port owns what it receives.
            s.nic.receiveFrame(s.frames[s.position++].clone(), s.frameLength);
            s.injected++;
        }
        if (!s.scheduler.runAgents(s.agents, Long.MAX_VALUE, s.done))
        {
            throw new IllegalStateException("RX path stalled: " + s.nic);
        }
        final long hits = s.nic.counters().get(NicCounters.CTX_CACHE_HIT);
        final long misses = s.nic.counters().get(NicCounters.CTX_CACHE_MISS);
        final long rewound = s.rewoundCached - s.lastRewound;
        c.cacheHits += hits - s.lastHits + rewound;
        c.cacheMisses += misses - s.lastMisses - rewound;
        s.lastHits = hits;
        s.lastMisses = misses;
        s.lastRewound = s.rewoundCached;
        return s.delivered;
    }
}
