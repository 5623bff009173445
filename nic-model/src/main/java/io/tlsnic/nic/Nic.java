package io.tlsnic.nic;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntConsumer;

import io.tlsnic.nic.dp.RxPath;
import io.tlsnic.nic.dp.TxPath;
import io.tlsnic.nic.flow.ContextCache;
import io.tlsnic.nic.flow.ControlQueueProcessor;
import io.tlsnic.nic.flow.Direction;
import io.tlsnic.nic.flow.FlowContextTable;
import io.tlsnic.nic.flow.FlowEngine;
import io.tlsnic.nic.flow.RssIndirectionTable;
import io.tlsnic.nic.flow.ToeplitzHash;
import io.tlsnic.nic.mem.Dma;
import io.tlsnic.nic.mem.DmaWindow;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.nic.reg.NicRegisters;
import io.tlsnic.nic.reg.RegisterFile;
import io.tlsnic.nic.ring.CompletionFlyweight;
import io.tlsnic.nic.ring.CompletionProducer;
import io.tlsnic.nic.ring.ControlCommandFlyweight;
import io.tlsnic.nic.ring.ControlCompletionFlyweight;
import io.tlsnic.nic.ring.InterruptModerator;
import io.tlsnic.nic.ring.Ring;
import io.tlsnic.nic.ring.RxDescriptorFlyweight;
import io.tlsnic.nic.ring.SubmissionConsumer;
import io.tlsnic.nic.ring.TxDescriptorFlyweight;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.nic.tls.RxTlsEngine;
import io.tlsnic.nic.tls.TxTlsEngine;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkPort;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;

/**
 * The emulated device: register file, DMA into the driver's host memory, per-queue TX/RX/completion rings, a control
 * queue for context commands, the flow-context table with its cache of per-flow engine states, the inline TLS
 * engines on both paths, and one link port. It only touches host memory that the rings and descriptors point at.
 *
 * <p>Bring-up follows a driver's order: it writes the rings' BASE and SIZE registers, then rings doorbells; the
 * device maps a ring the first time it finds both set (rings are not moved afterwards). Each {@link #doWork()}
 * runs control commands first (so an install precedes the data posted after it), then every queue's TX, then the
 * frames waiting at the port, each in bounded batches.
 */
public final class Nic implements Agent, LinkPort
{
    /** Record number of an UPDATE_RESYNC that cancels the RX tracker's pending request. */
    public static final long CANCEL_RESYNC = -1;

    private final String name;
    private final NicConfig config;
    private final EventScheduler scheduler;
    private final NicCounterSet counters = new NicCounterSet();
    private final Dma dma;
    private final ToeplitzHash rss = new ToeplitzHash();
    private final RssIndirectionTable reta;
    private final InterruptModerator[] moderators;
    private final NicRegisters registers;
    private final FlowContextTable table;
    private final ContextCache cache;
    private final RxTlsEngine.Scratch rxScratch = new RxTlsEngine.Scratch();
    private final byte[] keyScratch = new byte[32];
    private final byte[] nonceScratch = new byte[12];

    private final TxPath[] txPaths;
    private final SubmissionConsumer[] rxBuffers;
    private final CompletionProducer[] completions;
    private final RxPath rxPath;
    private ControlQueueProcessor control;

    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private Link link;
    /** Every ring is mapped: {@link #mapRings()} has nothing left to look for. */
    private boolean ringsMapped;

    /**
     * @param name device name ("nic0").
     * @param config parameters.
     * @param memory the host memory the driver owns and the device reaches by DMA.
     * @param scheduler the deterministic scheduler (command latency, interrupt moderation).
     */
    public Nic(final String name, final NicConfig config, final HostMemory memory, final EventScheduler scheduler)
    {
        this.name = name;
        this.config = config;
        this.scheduler = scheduler;
        this.dma = new Dma(memory, counters);
        this.reta = new RssIndirectionTable(config.queues());
        this.moderators = new InterruptModerator[config.queues()];
        for (int q = 0; q < moderators.length; q++)
        {
            moderators[q] = new InterruptModerator(q, scheduler, queue -> { }, counters);
        }
        this.registers = new NicRegisters(config.queues(), config.capabilities(), config.contextCapacity(), counters,
            rss, reta, moderators);
        this.table = new FlowContextTable(config.contextCapacity(), config.capabilities());
        this.cache = new ContextCache(table, config.contextCacheCapacity(), counters, this::expand);
        table.setResyncListener(this::onResync);
        this.txPaths = new TxPath[config.queues()];
        this.rxBuffers = new SubmissionConsumer[config.queues()];
        this.completions = new CompletionProducer[config.queues()];
        this.rxPath = new RxPath(rxBuffers, completions, moderators, dma, table, cache, counters, rss, reta);
    }

    /**
     * Connects the queues' interrupt vectors (MSI-X) to the driver. The handler is called with the queue number
     * when that queue's interrupt moderation fires, on the thread that runs the device (in threaded mode not the
     * driver's): it must only note the interrupt, as a hard IRQ handler calls {@code napi_schedule}. Register it at
     * bring-up, before a device thread starts.
     *
     * @param handler the queue interrupt handler; replaces the previous one (initially none).
     */
    public void setInterruptHandler(final IntConsumer handler)
    {
        Objects.requireNonNull(handler, "handler");
        for (final InterruptModerator m : moderators)
        {
            m.setInterrupt(handler);
        }
    }

    /** @return the device name. */
    public String name()
    {
        return name;
    }

    /** @return the configuration. */
    public NicConfig config()
    {
        return config;
    }

    /** @return the register file: the driver's MMIO window. */
    public RegisterFile registers()
    {
        return registers.file();
    }

    /** @return the register map (ring index views for the driver). */
    public NicRegisters registerMap()
    {
        return registers;
    }

    /** @return the device counters. */
    public NicCounterSet counters()
    {
        return counters;
    }

    /** @return the flow-context table (for reports and tests). */
    public FlowContextTable contexts()
    {
        return table;
    }

    /** @return the context cache (for reports and tests). */
    public ContextCache contextCache()
    {
        return cache;
    }

    @Override
    public String roleName()
    {
        return name;
    }

    @Override
    public void attach(final Link l)
    {
        this.link = l;
    }

    @Override
    public void receiveFrame(final byte[] frame, final int length)
    {
        inbox.add(length == frame.length ? frame : Arrays.copyOf(frame, length));
    }

    @Override
    public int doWork()
    {
        int work = 0;
        if (!ringsMapped)
        {
            mapRings();
        }
        if (control != null)
        {
            work += control.doWork();
        }
        for (final TxPath tx : txPaths)
        {
            if (tx != null)
            {
                work += tx.doWork(config.batch());
            }
        }
        int received = 0;
        byte[] frame;
        while (received < config.batch() && (frame = inbox.peek()) != null)
        {
            if (rxPath.receive(frame, frame.length) == RxPath.Result.BACK_PRESSURE)
            {
                break;
            }
            inbox.poll();
            received++;
        }
        rxPath.flush();
        return work + received;
    }

    /** @param observer sees what the RX tracker did with each segment of a flow with an RX context (null: none). */
    public void setRxTlsObserver(final io.tlsnic.nic.dp.RxTlsObserver observer)
    {
        rxPath.setObserver(observer);
    }

    /** @return frames waiting at the port. */
    public int pendingReceive()
    {
        return inbox.size();
    }

    private void transmit(final byte[] frame, final int offset, final int length)
    {
        if (link != null)
        {
            link.carry(this, frame, offset, length);
        }
    }

    /**
     * The host resynced a context. TX: the cached state is dropped and rebuilt from the slot at the record start.
     * RX: the live tracker takes the answer (it may be confirming a candidate it has followed since); when no
     * state is cached the slot already says where tracking resumes.
     */
    private void onResync(final int slot)
    {
        if (table.direction(slot) == Direction.TX)
        {
            cache.invalidate(slot);
            return;
        }
        final FlowEngine engine = cache.peek(slot);
        if (table.recordNumber(slot) == CANCEL_RESYNC)
        {
            // The host gave up a stalled request: back to searching, nothing confirmed.
            if (engine != null)
            {
                ((RxTlsEngine)engine).cancelResync();
            }
            else
            {
                table.setState(slot, io.tlsnic.nic.flow.TrackerState.SEARCHING);
            }
            counters.increment(NicCounters.RX_TLS_RESYNC_REQ_SKIP);
            return;
        }
        if (engine == null)
        {
            counters.increment(NicCounters.RX_TLS_RESYNC_RES_OK);
            return;
        }
        final RxTlsEngine rx = (RxTlsEngine)engine;
        final boolean wasPending = rx.state() == io.tlsnic.nic.flow.TrackerState.RESYNC_PENDING;
        if (rx.resync(table.expectedTcpSeq(slot) & 0xFFFF_FFFFL, table.recordNumber(slot)))
        {
            counters.increment(NicCounters.RX_TLS_RESYNC_RES_OK);
            if (wasPending && rx.state() != io.tlsnic.nic.flow.TrackerState.RESYNC_PENDING)
            {
                counters.increment(NicCounters.RX_TLS_RESYNC_REQ_END);
            }
        }
        else
        {
            counters.increment(NicCounters.RX_TLS_RESYNC_RES_SKIP);
        }
    }

    /** Builds a slot's engine state on a context-cache miss. */
    private FlowEngine expand(final int slot)
    {
        final int keyLength = table.copyKey(slot, keyScratch, 0);
        table.copyNonceBase(slot, nonceScratch, 0);
        final byte[] key = Arrays.copyOf(keyScratch, keyLength);
        Arrays.fill(keyScratch, (byte)0);
        try
        {
            final long seq = table.expectedTcpSeq(slot) & 0xFFFF_FFFFL;
            if (table.direction(slot) == Direction.TX)
            {
                return new TxTlsEngine(table.version(slot), table.cipher(slot), key, nonceScratch, seq,
                    table.recordNumber(slot));
            }
            final RxTlsEngine rx = new RxTlsEngine(table.version(slot), table.cipher(slot), key, nonceScratch, seq,
                table.recordNumber(slot), rxScratch);
            rx.setResyncMode(config.rxResyncMode());
            final boolean rebuild = (table.flags(slot) & FlowContextTable.FLAG_NEEDS_REBUILD) != 0;
            rx.restore(table.state(slot), rebuild ? table.recordOffset(slot) : 0, table.recordLength(slot));
            table.clearNeedsRebuild(slot);
            return rx;
        }
        finally
        {
            Arrays.fill(key, (byte)0);
        }
    }

    /** Maps each ring the first time its BASE and SIZE registers are both set; notes when all are. */
    private void mapRings()
    {
        if (control == null)
        {
            final SubmissionConsumer sq = submission(NicRegisters.CTRL_SQ_BASE, NicRegisters.CTRL_SQ_SIZE,
                NicRegisters.CTRL_SQ_TAIL, NicRegisters.CTRL_SQ_HEAD, ControlCommandFlyweight.LENGTH);
            final CompletionProducer cq = completion(NicRegisters.CTRL_CQ_BASE, NicRegisters.CTRL_CQ_SIZE,
                NicRegisters.CTRL_CQ_HEAD, NicRegisters.CTRL_CQ_TAIL, ControlCompletionFlyweight.LENGTH,
                ControlCompletionFlyweight.OWNER_OFFSET);
            if (sq != null && cq != null)
            {
                control = new ControlQueueProcessor(sq, cq, dma, table, counters, scheduler,
                    config.controlLatencyNs(), config.batch());
            }
        }
        for (int q = 0; q < txPaths.length; q++)
        {
            if (completions[q] == null)
            {
                completions[q] = completion(NicRegisters.queue(q, NicRegisters.CQ_BASE),
                    NicRegisters.queue(q, NicRegisters.CQ_SIZE), NicRegisters.queue(q, NicRegisters.CQ_HEAD),
                    NicRegisters.queue(q, NicRegisters.CQ_TAIL), CompletionFlyweight.LENGTH,
                    CompletionFlyweight.OWNER_OFFSET);
            }
            if (completions[q] == null)
            {
                continue;
            }
            if (txPaths[q] == null)
            {
                final SubmissionConsumer tx = submission(NicRegisters.queue(q, NicRegisters.TX_BASE),
                    NicRegisters.queue(q, NicRegisters.TX_SIZE), NicRegisters.queue(q, NicRegisters.TX_TAIL),
                    NicRegisters.queue(q, NicRegisters.TX_HEAD), TxDescriptorFlyweight.LENGTH);
                if (tx != null)
                {
                    txPaths[q] = new TxPath(q, tx, completions[q], moderators[q], dma, table, cache, counters,
                        this::transmit);
                }
            }
            if (rxBuffers[q] == null)
            {
                rxBuffers[q] = submission(NicRegisters.queue(q, NicRegisters.RX_BASE),
                    NicRegisters.queue(q, NicRegisters.RX_SIZE), NicRegisters.queue(q, NicRegisters.RX_TAIL),
                    NicRegisters.queue(q, NicRegisters.RX_HEAD), RxDescriptorFlyweight.LENGTH);
            }
        }
        boolean all = control != null;
        for (int q = 0; q < txPaths.length && all; q++)
        {
            all = txPaths[q] != null && rxBuffers[q] != null;
        }
        ringsMapped = all;
    }

    private SubmissionConsumer submission(final int base, final int size, final int tail, final int head,
        final int entryLength)
    {
        final Ring ring = map(base, size, entryLength);
        return ring == null ? null
            : new SubmissionConsumer(ring, registers.deviceIndex(tail), registers.deviceIndex(head));
    }

    private CompletionProducer completion(final int base, final int size, final int head, final int tail,
        final int entryLength, final int ownerOffset)
    {
        final Ring ring = map(base, size, entryLength);
        return ring == null ? null : new CompletionProducer(ring, ownerOffset, registers.deviceIndex(head),
            registers.deviceIndex(tail));
    }

    private Ring map(final int baseRegister, final int sizeRegister, final int entryLength)
    {
        final RegisterFile file = registers.file();
        final long base = file.get(baseRegister);
        final long size = file.get(sizeRegister);
        if (base == 0 || size == 0)
        {
            return null;
        }
        final DmaWindow window = new DmaWindow();
        if (!dma.map(base, size * entryLength, window))
        {
            return null; // dma_errors counted; the driver must program a valid ring
        }
        return new Ring(window.store(), window.offset(), (int)size, entryLength);
    }

    @Override
    public String toString()
    {
        return name + " (" + config.queues() + " queues, " + table.size() + "/" + table.capacity() + " contexts, "
            + counters.get(NicCounters.TX_TLS_ENCRYPTED_PACKETS) + " TLS TX packets)";
    }
}
