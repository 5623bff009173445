package io.tlsnic.driver;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicIntegerArray;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.nic.Nic;
import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.flow.Direction;
import io.tlsnic.nic.flow.FlowKey;
import io.tlsnic.nic.flow.KeyBlockFlyweight;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.nic.reg.NicRegisters;
import io.tlsnic.nic.reg.RegisterFile;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.nic.ring.CompletionConsumer;
import io.tlsnic.nic.ring.CompletionFlyweight;
import io.tlsnic.nic.ring.ControlCommandFlyweight;
import io.tlsnic.nic.ring.ControlCompletionFlyweight;
import io.tlsnic.nic.ring.Ring;
import io.tlsnic.nic.ring.RxDescriptorFlyweight;
import io.tlsnic.nic.ring.SubmissionProducer;
import io.tlsnic.nic.ring.TxDescriptorFlyweight;
import io.tlsnic.stack.dev.DeviceFeatures;
import io.tlsnic.stack.dev.FlowTuple;
import io.tlsnic.stack.dev.NetDevice;
import io.tlsnic.stack.dev.RxHandler;
import io.tlsnic.stack.dev.RxResyncType;
import io.tlsnic.stack.dev.TlsDeviceOps;
import io.tlsnic.stack.dev.TlsDirection;
import io.tlsnic.stack.dev.TlsOffloadCapabilities;
import io.tlsnic.stack.dev.TlsOffloadSocket;
import io.tlsnic.stack.dev.TxPacket;
import io.tlsnic.stack.dev.TxRecordRef;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The NIC model's driver, as the stack sees it: a {@link NetDevice} with TSO, checksum offload and TLS offload,
 * and its {@link TlsDeviceOps}. All device access goes through MMIO registers and the host memory the driver owns:
 * rings and buffers are allocated there at bring-up, and the device reaches them only by DMA.
 *
 * <p>TLS contexts: {@link #add} checks capability and free ids synchronously (the device's capacity is read from
 * its CTX_CAPACITY register), writes the key block into host memory and posts an INSTALL command; the handle is
 * returned at once. TX packets for a context whose install has not completed yet are held in order and posted
 * when the completion arrives (the device may lag); if the device refuses the install they are dropped, never
 * sent in clear. The key block is zeroed and freed as soon as the device has read it.
 *
 * <p>{@link #doWork()} is the NAPI poll: it reaps control completions, then up to the budget of queue completions
 * (TX done; RX frames handed up with their marks, buffers reposted), then posts held packets and tells the stack
 * when a refused transmit may now succeed.
 */
public final class NicDriver implements NetDevice, TlsDeviceOps, Agent
{
    private static final int FREE = 0;
    private static final int INSTALLING = 1;
    private static final int READY = 2;
    private static final int FAILED = 3;
    private static final int REMOVING = 4;

    private final String name;
    private final Nic nic;
    private final HostMemory memory;
    private final DriverConfig config;
    private final RegisterFile mmio;
    private final DeviceFeatures features;
    private final long[] counters = new long[DriverCounter.values().length];

    private final int queues;
    private final SubmissionProducer[] tx;
    /** Per queue and ring slot: the pooled TX buffer the slot's descriptor points at, or -1. */
    private final int[][] txSlotBuffer;
    /** Per queue: the ring sequence from which descriptors' buffers may still be the device's. */
    private final long[] txCleanSeq;
    /**
     * TX buffers (IOVAs), at least {@link #txBufferCapacity} bytes each, handed out last-in first-out so that the few
     * in flight at a time stay in the CPU's cache (a page pool), rather than one buffer per ring slot cycled through
     * the ring.
     */
    private final long[] txBuffers;
    /** The CPU's view of each TX buffer (its store), resolved once when allocated rather than per packet. */
    private final BytesStore<?, ?>[] txBufferStores;
    private final int[] txBufferLengths;
    private final int[] txFreeBuffers;
    private int txFreeCount;
    private int txBufferCount;
    private final int txBufferCapacity;
    private final SubmissionProducer[] rxRing;
    private final long[][] rxBuffers;
    private final BytesStore<?, ?>[][] rxBufferStores;
    private final CompletionConsumer[] cq;
    private final SubmissionProducer control;
    private final CompletionConsumer controlCompletions;
    private final long[] controlKeyBlocks;
    private final int[] controlKeyBlockLengths;

    private final int[] contextState;
    private final long[] txExpected;
    private final long[] pendingSyncSeq;
    private final long[] pendingSyncRecord;
    private final long[] txSentBytes;
    private final long[] txOutOfSeqBytes;
    private final boolean[] softwareForGood;
    private final TlsOffloadSocket[] contextSockets;
    private final ArrayDeque<TxPacket>[] held;
    private final int[] freeIds;
    private int freeIdCount;
    private final ArrayDeque<TxPacket> backlog = new ArrayDeque<>();
    private final FlowKey flowKey = new FlowKey();

    /** Interrupt-driven NAPI: per queue, 1 while a poll is scheduled (set by the device's interrupt, cleared by the poll). */
    private final AtomicIntegerArray napiScheduled;

    private RxHandler rxHandler = (f, o, l, m) -> { };
    /** Targeted fault for tests: resync requests it picks are lost before the stack sees them. */
    java.util.function.LongPredicate loseResyncRequest = seq -> false;
    private Runnable txSpace = () -> { };
    private boolean txRefused;

    /**
     * Brings the device up: allocates and programs every ring, posts all RX buffers.
     *
     * @param name interface name ("eth0").
     * @param nic the device.
     * @param memory the host memory the device was given.
     * @param config ring sizes and budgets.
     */
    @SuppressWarnings("unchecked")
    public NicDriver(final String name, final Nic nic, final HostMemory memory, final DriverConfig config)
    {
        this.name = name;
        this.nic = nic;
        this.memory = memory;
        this.config = config;
        this.mmio = nic.registers();
        final NicRegisters map = nic.registerMap();
        this.queues = (int)mmio.read(NicRegisters.QUEUE_COUNT);
        final int contextIds = (int)mmio.read(NicRegisters.CTX_CAPACITY);
        this.features = new DeviceFeatures(1500, config.tsoMaxBytes(), true, true, true,
            capabilities(DeviceCapabilities.fromBits(mmio.read(NicRegisters.CAPABILITIES))));

        tx = new SubmissionProducer[queues];
        txSlotBuffer = new int[queues][config.txRingSize()];
        for (final int[] slots : txSlotBuffer)
        {
            Arrays.fill(slots, -1);
        }
        txCleanSeq = new long[queues];
        txBuffers = new long[queues * config.txRingSize()];
        txBufferStores = new BytesStore<?, ?>[queues * config.txRingSize()];
        txBufferLengths = new int[queues * config.txRingSize()];
        txFreeBuffers = new int[queues * config.txRingSize()];
        txBufferCapacity = Math.max(2048, config.tsoMaxBytes() + 256); // a TSO frame: payload and headers
        rxRing = new SubmissionProducer[queues];
        rxBuffers = new long[queues][config.rxRingSize()];
        rxBufferStores = new BytesStore<?, ?>[queues][config.rxRingSize()];
        cq = new CompletionConsumer[queues];
        for (int q = 0; q < queues; q++)
        {
            tx[q] = new SubmissionProducer(ring(NicRegisters.queue(q, NicRegisters.TX_BASE),
                NicRegisters.queue(q, NicRegisters.TX_SIZE), config.txRingSize(), TxDescriptorFlyweight.LENGTH),
                map.hostIndex(NicRegisters.queue(q, NicRegisters.TX_TAIL)),
                map.hostIndex(NicRegisters.queue(q, NicRegisters.TX_HEAD)));
            rxRing[q] = new SubmissionProducer(ring(NicRegisters.queue(q, NicRegisters.RX_BASE),
                NicRegisters.queue(q, NicRegisters.RX_SIZE), config.rxRingSize(), RxDescriptorFlyweight.LENGTH),
                map.hostIndex(NicRegisters.queue(q, NicRegisters.RX_TAIL)),
                map.hostIndex(NicRegisters.queue(q, NicRegisters.RX_HEAD)));
            cq[q] = new CompletionConsumer(ring(NicRegisters.queue(q, NicRegisters.CQ_BASE),
                NicRegisters.queue(q, NicRegisters.CQ_SIZE), config.completionRingSize(), CompletionFlyweight.LENGTH),
                CompletionFlyweight.OWNER_OFFSET, map.hostIndex(NicRegisters.queue(q, NicRegisters.CQ_HEAD)));
            for (int i = 0; i < config.rxRingSize(); i++)
            {
                rxBuffers[q][i] = memory.allocate(config.rxBufferLength());
                rxBufferStores[q][i] = memory.storeOf(rxBuffers[q][i]);
                postRxBuffer(q, i);
            }
            rxRing[q].publish();
        }
        control = new SubmissionProducer(ring(NicRegisters.CTRL_SQ_BASE, NicRegisters.CTRL_SQ_SIZE,
            config.controlRingSize(), ControlCommandFlyweight.LENGTH), map.hostIndex(NicRegisters.CTRL_SQ_TAIL),
            map.hostIndex(NicRegisters.CTRL_SQ_HEAD));
        controlCompletions = new CompletionConsumer(ring(NicRegisters.CTRL_CQ_BASE, NicRegisters.CTRL_CQ_SIZE,
            config.controlRingSize(), ControlCompletionFlyweight.LENGTH), ControlCompletionFlyweight.OWNER_OFFSET,
            map.hostIndex(NicRegisters.CTRL_CQ_HEAD));
        controlKeyBlocks = new long[config.controlRingSize()];
        controlKeyBlockLengths = new int[config.controlRingSize()];

        contextState = new int[contextIds + 1];
        txExpected = new long[contextIds + 1];
        pendingSyncSeq = new long[contextIds + 1];
        pendingSyncRecord = new long[contextIds + 1];
        txSentBytes = new long[contextIds + 1];
        txOutOfSeqBytes = new long[contextIds + 1];
        softwareForGood = new boolean[contextIds + 1];
        contextSockets = new TlsOffloadSocket[contextIds + 1];
        held = new ArrayDeque[contextIds + 1];
        freeIds = new int[contextIds];
        for (int i = 0; i < contextIds; i++)
        {
            freeIds[i] = contextIds - i; // ids 1..capacity; 0 means "no context" in completions
        }
        freeIdCount = contextIds;

        if (config.napi().interrupts())
        {
            napiScheduled = new AtomicIntegerArray(queues);
            for (int q = 0; q < queues; q++)
            {
                if (!mmio.write(NicRegisters.queue(q, NicRegisters.ITR_TIMER_NS), config.napi().coalesceNs())
                    || !mmio.write(NicRegisters.queue(q, NicRegisters.ITR_PACKETS), config.napi().coalesceFrames()))
                {
                    throw new IllegalStateException(name + ": device refused interrupt moderation "
                        + config.napi().coalesceNs() + " ns / " + config.napi().coalesceFrames() + " frames");
                }
            }
            nic.setInterruptHandler(q -> napiScheduled.set(q, 1)); // napi_schedule
        }
        else
        {
            napiScheduled = null;
        }
    }

    private static TlsOffloadCapabilities capabilities(final DeviceCapabilities device)
    {
        final EnumSet<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
        final EnumSet<TlsCipher> ciphers = EnumSet.noneOf(TlsCipher.class);
        for (final TlsVersion v : TlsVersion.values())
        {
            for (final TlsCipher c : TlsCipher.values())
            {
                if (device.supports(v, c))
                {
                    versions.add(v);
                    ciphers.add(c);
                }
            }
        }
        // The device advertises a product of versions and ciphers; rebuild it as such.
        return TlsOffloadCapabilities.of(EnumSet.allOf(TlsDirection.class), versions, ciphers);
    }

    /** Allocates a ring in host memory and programs its BASE and SIZE registers. */
    private Ring ring(final int baseRegister, final int sizeRegister, final int size, final int entryLength)
    {
        final long iova = memory.allocate(size * entryLength);
        if (!mmio.write(baseRegister, iova) || !mmio.write(sizeRegister, size))
        {
            throw new IllegalStateException(name + ": device refused ring registers 0x"
                + Integer.toHexString(baseRegister) + " / size " + size);
        }
        return new Ring(memory.storeOf(iova), memory.offsetOf(iova), size, entryLength);
    }

    private void postRxBuffer(final int q, final int index)
    {
        final long entry = rxRing[q].claim();
        RxDescriptorFlyweight.write(rxRing[q].ring().store(), entry, rxBuffers[q][index], config.rxBufferLength());
    }

    // ------------------------------------------------------------------------------------------------ NetDevice

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public DeviceFeatures features()
    {
        return features;
    }

    @Override
    public boolean transmit(final TxPacket packet)
    {
        if (packet.tls() != null)
        {
            final int id = packet.tls().deviceHandle();
            if (id > 0 && id < contextState.length && contextState[id] == INSTALLING)
            {
                held[id].add(packet.detached());
                counters[DriverCounter.TX_HELD_FOR_INSTALL.ordinal()]++;
                return true;
            }
        }
        if (!backlog.isEmpty() || !post(packet))
        {
            txRefused = true;
            counters[DriverCounter.TX_RING_FULL.ordinal()]++;
            return false;
        }
        return true;
    }

    @Override
    public void setRxHandler(final RxHandler handler)
    {
        this.rxHandler = handler;
    }

    @Override
    public void setTxSpaceListener(final Runnable listener)
    {
        this.txSpace = listener;
    }

    @Override
    public TlsDeviceOps tlsOps()
    {
        return features.tls().any() ? this : null;
    }

    /** @return the value of a driver counter. */
    public long counter(final DriverCounter counter)
    {
        return counters[counter.ordinal()];
    }

    /** @return the device. */
    public Nic nic()
    {
        return nic;
    }

    /** Posts a packet, handling TLS segments the device's context does not expect; false when the ring is full. */
    private boolean post(final TxPacket packet)
    {
        final int q = txQueue(packet);
        final int tsoFlags = (packet.tsoMss() > 0
            ? TxDescriptorFlyweight.FLAG_TSO | TxDescriptorFlyweight.FLAG_L3_CSUM | TxDescriptorFlyweight.FLAG_L4_CSUM
            : 0) | (packet.checksumPartial() ? TxDescriptorFlyweight.FLAG_L4_CSUM : 0);
        if (packet.tls() == null)
        {
            return postPacket(q, packet, tsoFlags, 0);
        }
        final int id = packet.tls().deviceHandle();
        final long seq = packet.payloadSeq();
        final int length = packet.payloadLength();
        if (id <= 0 || id >= contextState.length || contextState[id] != READY || softwareForGood[id])
        {
            // No usable device context (install refused, removed, or the policy gave up): software, never clear.
            return fallback(q, packet, tsoFlags);
        }
        final int tlsFlags = tsoFlags | TxDescriptorFlyweight.FLAG_TLS | TxDescriptorFlyweight.FLAG_L4_CSUM;
        if (pendingSyncSeq[id] >= 0 && seq == pendingSyncSeq[id])
        {
            if (tx[q].freeEntries() < 2)
            {
                return false;
            }
            postSync(q, id, pendingSyncSeq[id], pendingSyncRecord[id]);
            txExpected[id] = pendingSyncSeq[id];
            pendingSyncSeq[id] = -1;
            counters[DriverCounter.TX_TLS_NEXT_RECORD_SYNC.ordinal()]++;
        }
        if (seq == txExpected[id])
        {
            if (!postPacket(q, packet, tlsFlags, id))
            {
                return false;
            }
            txExpected[id] = (seq + length) & 0xFFFF_FFFFL;
            account(id, length, false);
            return true;
        }
        counters[DriverCounter.TX_TLS_OUT_OF_SEQ.ordinal()]++;
        final TxRecordRef ref = packet.tls().recordAt(seq);
        if (ref.kind() == TxRecordRef.Kind.BEFORE_OFFLOAD)
        {
            final boolean before = ((ref.startSeq() - seq) & 0xFFFF_FFFFL) >= length
                && ((ref.startSeq() - seq) & 0x8000_0000L) == 0;
            if (!before)
            {
                nic.counters().increment(NicCounters.TX_TLS_DROP_NO_SYNC_DATA); // straddles the start marker
                return true;
            }
            nic.counters().increment(NicCounters.TX_TLS_SKIP_NO_SYNC_DATA);
            return postPacket(q, packet, tsoFlags, 0);
        }
        if (ref.kind() == TxRecordRef.Kind.UNAVAILABLE)
        {
            nic.counters().increment(NicCounters.TX_TLS_DROP_NO_SYNC_DATA); // its record was ACKed and freed
            return true;
        }
        if (config.txResync() == DriverConfig.TxResyncStrategy.NEXT_RECORD_SYNC)
        {
            if (!fallback(q, packet, tsoFlags))
            {
                return false;
            }
            final boolean forward = ((seq - txExpected[id]) & 0x8000_0000L) == 0;
            if (forward)
            {
                // The device never saw the bytes between: move it to the next record boundary when that comes.
                final TxRecordRef last = packet.tls().recordAt((seq + length - 1) & 0xFFFF_FFFFL);
                if (last.kind() == TxRecordRef.Kind.IN_RECORD)
                {
                    pendingSyncSeq[id] = last.endSeq();
                    pendingSyncRecord[id] = last.recordNumber() + 1;
                }
            }
            account(id, length, true);
            return true;
        }
        // REBUILD: context to the record start, DUMP the prefix, then the segment.
        final int prefix = (int)((seq - ref.startSeq()) & 0xFFFF_FFFFL);
        if (tx[q].freeEntries() < (prefix > 0 ? 3 : 2))
        {
            return false;
        }
        postSync(q, id, ref.startSeq(), ref.recordNumber());
        if (prefix > 0)
        {
            postDescriptor(q, ref.image(), 0, prefix, null, 0, 0,
                TxDescriptorFlyweight.FLAG_DUMP | TxDescriptorFlyweight.FLAG_TLS, 0, id, ref.startSeq());
        }
        postPacket(q, packet, tlsFlags, id);
        txExpected[id] = (seq + length) & 0xFFFF_FFFFL;
        nic.counters().add(NicCounters.TX_TLS_RESYNC_BYTES, length);
        account(id, length, true);
        return true;
    }

    /** The stack encrypts the segment in software; it goes out as an ordinary packet. */
    private boolean fallback(final int q, final TxPacket packet, final int tsoFlags)
    {
        if (tx[q].freeEntries() < 1)
        {
            return false;
        }
        final byte[] ciphertext = packet.tls().encryptInSoftware(packet.payloadSeq(), packet.payloadLength());
        if (ciphertext == null)
        {
            nic.counters().increment(NicCounters.TX_TLS_DROP_NO_SYNC_DATA);
            return true;
        }
        counters[DriverCounter.TX_TLS_FALLBACK_PACKETS.ordinal()]++;
        counters[DriverCounter.TX_TLS_FALLBACK_BYTES.ordinal()] += ciphertext.length;
        return postDescriptor(q, packet.header(), 0, packet.headerLength(), ciphertext, 0, ciphertext.length,
            tsoFlags | TxDescriptorFlyweight.FLAG_L4_CSUM, packet.tsoMss(), 0, 0);
    }

    /** FreeBSD's policy: a connection whose retransmitted share passes the threshold goes to software for good. */
    private void account(final int id, final int length, final boolean outOfSeq)
    {
        txSentBytes[id] += length;
        if (outOfSeq)
        {
            txOutOfSeqBytes[id] += length;
        }
        final double threshold = config.softwarePolicyThreshold();
        if (threshold > 0 && !softwareForGood[id] && txSentBytes[id] >= 128 * 1024
            && txOutOfSeqBytes[id] > threshold * txSentBytes[id])
        {
            softwareForGood[id] = true;
            counters[DriverCounter.TX_TLS_SW_POLICY.ordinal()]++;
        }
    }

    private void postSync(final int q, final int id, final long tcpSeq, final long recordNumber)
    {
        final SubmissionProducer ring = tx[q];
        final long entry = ring.claim();
        TxDescriptorFlyweight.write(ring.ring().store(), entry, 0, (int)tcpSeq,
            TxDescriptorFlyweight.FLAG_EOP | TxDescriptorFlyweight.FLAG_CTX_SYNC, 0, id, 0, 0);
        TxDescriptorFlyweight.tlsSync(ring.ring().store(), entry, recordNumber);
        ring.publish();
    }

    /** Posts a packet's headers and payload as one frame; false when the ring is full. */
    private boolean postPacket(final int q, final TxPacket packet, final int flags, final int contextId)
    {
        return postDescriptor(q, packet.header(), 0, packet.headerLength(), packet.payload(), packet.payloadIndex(),
            packet.payloadLength(), flags, packet.tsoMss(), contextId, 0);
    }

    /**
     * Copies the two pieces of a frame (the stack's gather list: headers, then payload) into the entry's own host
     * buffer, the DMA-able copy the device reads, and posts one descriptor; false when the ring is full.
     *
     * @param first the first piece (the headers, or the whole data of a DUMP).
     * @param firstIndex its index in {@code first}.
     * @param firstLength its length.
     * @param second the second piece (the payload), or null.
     * @param secondIndex its index in {@code second}.
     * @param secondLength its length (0 without a second piece).
     */
    private boolean postDescriptor(final int q, final byte[] first, final int firstIndex, final int firstLength,
        final byte[] second, final int secondIndex, final int secondLength, final int flags, final int mss,
        final int contextId, final long sync)
    {
        final int length = firstLength + secondLength;
        final SubmissionProducer ring = tx[q];
        final int index = (int)(ring.nextSequence() & (config.txRingSize() - 1));
        final long entry = ring.claim();
        if (entry < 0)
        {
            return false;
        }
        final int[] slots = txSlotBuffer[q];
        if (slots[index] >= 0)
        {
            // The claim succeeded, so the device has moved past this slot's last descriptor and read its buffer.
            txFreeBuffers[txFreeCount++] = slots[index];
            slots[index] = -1;
        }
        if (txFreeCount == 0)
        {
            reclaimTxBuffers(q);
        }
        final int b = takeTxBuffer(length);
        slots[index] = b;
        final long iova = txBuffers[b];
        final BytesStore<?, ?> buffer = txBufferStores[b];
        buffer.write(0, first, firstIndex, firstLength);
        if (secondLength > 0)
        {
            buffer.write(firstLength, second, secondIndex, secondLength);
        }
        TxDescriptorFlyweight.write(ring.ring().store(), entry, iova, length, flags | TxDescriptorFlyweight.FLAG_EOP,
            mss, contextId, 0, 0);
        if (sync != 0)
        {
            TxDescriptorFlyweight.tlsSync(ring.ring().store(), entry, sync); // write() zeroed it
        }
        ring.publish();
        return true;
    }

    /** @return a free TX buffer of at least {@code length} bytes, the most recently freed when it is big enough. */
    private int takeTxBuffer(final int length)
    {
        final int b = txFreeCount > 0 ? txFreeBuffers[--txFreeCount] : txBufferCount++;
        if (txBufferLengths[b] < length)
        {
            if (txBuffers[b] != 0)
            {
                memory.free(txBuffers[b]);
            }
            txBufferLengths[b] = Math.max(length, txBufferCapacity);
            txBuffers[b] = memory.allocate(txBufferLengths[b]);
            txBufferStores[b] = memory.storeOf(txBuffers[b]);
        }
        return b;
    }

    /**
     * Returns to the pool the buffers of every descriptor of queue {@code q} the device has consumed: it reads a
     * chain's buffers before it moves the ring's head past them, so a buffer behind the head is free again.
     */
    private void reclaimTxBuffers(final int q)
    {
        final SubmissionProducer ring = tx[q];
        final long head = ring.nextSequence() - config.txRingSize() + ring.freeEntries();
        final int mask = config.txRingSize() - 1;
        final int[] slots = txSlotBuffer[q];
        for (long seq = txCleanSeq[q]; seq < head; seq++)
        {
            final int slot = (int)(seq & mask);
            if (slots[slot] >= 0)
            {
                txFreeBuffers[txFreeCount++] = slots[slot];
                slots[slot] = -1;
            }
        }
        txCleanSeq[q] = Math.max(txCleanSeq[q], head);
    }

    /** The queue for a packet's flow, from its TCP ports read out of the headers; queue 0 when they are not TCP. */
    private int txQueue(final TxPacket packet)
    {
        if (queues == 1)
        {
            return 0;
        }
        final byte[] h = packet.header();
        final int headerLength = packet.headerLength();
        if (headerLength < 14)
        {
            return 0;
        }
        final int l3 = h[12] == (byte)0x81 && h[13] == 0x00 ? 18 : 14; // 802.1Q tag
        final int version = headerLength > l3 ? (h[l3] & 0xFF) >>> 4 : 0;
        final int l4 = version == 4 ? l3 + 4 * (h[l3] & 0x0F) : version == 6 ? l3 + 40 : -1;
        if (l4 < 0 || headerLength < l4 + 4 || (version == 4 ? h[l3 + 9] : h[l3 + 6]) != 6)
        {
            return 0;
        }
        final int sourcePort = (h[l4] & 0xFF) << 8 | h[l4 + 1] & 0xFF;
        final int destinationPort = (h[l4 + 2] & 0xFF) << 8 | h[l4 + 3] & 0xFF;
        return Math.floorMod(sourcePort * 31 + destinationPort, queues);
    }

    // --------------------------------------------------------------------------------------------- TlsDeviceOps

    @Override
    public int add(final TlsDirection direction, final CryptoInfo info, final long startTcpSeq, final FlowTuple flow,
        final TlsOffloadSocket socket)
    {
        if (!features.tls().supports(direction, info.version(), info.cipher()))
        {
            counters[DriverCounter.TLS_ADD_UNSUPPORTED.ordinal()]++;
            return ERR_NOT_SUPPORTED;
        }
        if (freeIdCount == 0)
        {
            counters[DriverCounter.TLS_ADD_NO_SPACE.ordinal()]++;
            return ERR_NO_SPACE;
        }
        final int commandIndex = (int)(control.nextSequence() & (config.controlRingSize() - 1));
        final long command = control.claim();
        if (command < 0)
        {
            counters[DriverCounter.TLS_ADD_NO_SPACE.ordinal()]++;
            return ERR_NO_SPACE;
        }
        final int id = freeIds[--freeIdCount];
        final Direction d = direction == TlsDirection.TX ? Direction.TX : Direction.RX;
        setFlowKey(d, flow);
        final byte[] cryptoInfo = info.toBytes();
        final int keyBlockLength = KeyBlockFlyweight.CRYPTO_INFO_OFFSET + cryptoInfo.length;
        final long keyBlock = memory.allocate(keyBlockLength);
        final BytesStore<?, ?> store = memory.storeOf(keyBlock);
        final long offset = memory.offsetOf(keyBlock);
        KeyBlockFlyweight.writeFlowKey(store, offset, flowKey);
        store.write(offset + KeyBlockFlyweight.CRYPTO_INFO_OFFSET, cryptoInfo, 0, cryptoInfo.length);
        Arrays.fill(cryptoInfo, (byte)0);
        controlKeyBlocks[commandIndex] = keyBlock;
        controlKeyBlockLengths[commandIndex] = keyBlockLength;
        ControlCommandFlyweight.write(control.ring().store(), command, ControlCommandFlyweight.OP_INSTALL, d.code(), id,
            keyBlock, keyBlockLength, (int)startTcpSeq, info.recSeq());
        control.publish();
        contextState[id] = INSTALLING;
        contextSockets[id] = socket;
        txExpected[id] = startTcpSeq & 0xFFFF_FFFFL;
        pendingSyncSeq[id] = -1;
        txSentBytes[id] = 0;
        txOutOfSeqBytes[id] = 0;
        softwareForGood[id] = false;
        held[id] = new ArrayDeque<>();
        return id;
    }

    @Override
    public RxResyncType rxResyncType()
    {
        switch (nic.config().rxResyncMode())
        {
            case CORE_NEXT_HINT:
                return RxResyncType.CORE_NEXT_HINT;
            case ASYNC:
                return RxResyncType.ASYNC;
            default:
                return RxResyncType.DEVICE_REQUEST;
        }
    }

    @Override
    public void del(final TlsDirection direction, final int handle)
    {
        if (handle <= 0 || handle >= contextState.length || contextState[handle] == FREE)
        {
            return;
        }
        contextState[handle] = REMOVING;
        contextSockets[handle] = null;
        held[handle] = null;
        postCommand(ControlCommandFlyweight.OP_REMOVE, direction, handle, 0, 0);
    }

    @Override
    public int resync(final TlsDirection direction, final int handle, final long tcpSeq, final long recordNumber)
    {
        if (handle <= 0 || handle >= contextState.length || contextState[handle] != READY)
        {
            return -11; // EAGAIN: not installed (yet)
        }
        return postCommand(ControlCommandFlyweight.OP_UPDATE_RESYNC, direction, handle, tcpSeq, recordNumber) ? 0 : -11;
    }

    private boolean postCommand(final int opcode, final TlsDirection direction, final int id, final long tcpSeq,
        final long recordNumber)
    {
        final int commandIndex = (int)(control.nextSequence() & (config.controlRingSize() - 1));
        final long command = control.claim();
        if (command < 0)
        {
            return false;
        }
        controlKeyBlocks[commandIndex] = 0;
        ControlCommandFlyweight.write(control.ring().store(), command, opcode,
            (direction == TlsDirection.TX ? Direction.TX : Direction.RX).code(), id, 0, 0, (int)tcpSeq, recordNumber);
        control.publish();
        return true;
    }

    private void setFlowKey(final Direction d, final FlowTuple f)
    {
        final boolean tx = d == Direction.TX;
        final long srcHigh = tx ? f.localHigh() : f.remoteHigh();
        final long srcLow = tx ? f.localLow() : f.remoteLow();
        final long dstHigh = tx ? f.remoteHigh() : f.localHigh();
        final long dstLow = tx ? f.remoteLow() : f.localLow();
        final int srcPort = tx ? f.localPort() : f.remotePort();
        final int dstPort = tx ? f.remotePort() : f.localPort();
        if (srcHigh == 0 && (srcLow >>> 32) == 0xFFFF && dstHigh == 0 && (dstLow >>> 32) == 0xFFFF)
        {
            flowKey.setIpv4(d, (int)srcLow, (int)dstLow, srcPort, dstPort);
        }
        else
        {
            flowKey.setIpv6(d, srcHigh, srcLow, dstHigh, dstLow, srcPort, dstPort);
        }
    }

    // ------------------------------------------------------------------------------------------------ NAPI poll

    @Override
    public String roleName()
    {
        return name;
    }

    @Override
    public int doWork()
    {
        int work = reapControl();
        int budget = config.napiBudget();
        for (int q = 0; q < queues && budget > 0; q++)
        {
            if (napiScheduled != null)
            {
                if (napiScheduled.get(q) == 0)
                {
                    continue;
                }
                // Cleared before the poll reads the queue: an interrupt for a completion published after this
                // point schedules another poll, so none is left unreaped.
                napiScheduled.set(q, 0);
            }
            final int n = reapQueue(q, budget);
            if (napiScheduled != null && n == budget)
            {
                napiScheduled.set(q, 1); // budget used up: stay scheduled (no napi_complete)
            }
            budget -= n;
            work += n;
        }
        work += drainBacklog();
        if (txRefused && backlog.isEmpty() && hasTxSpace())
        {
            txRefused = false;
            txSpace.run();
        }
        return work;
    }

    private boolean hasTxSpace()
    {
        for (final SubmissionProducer p : tx)
        {
            if (p.freeEntries() > 0)
            {
                return true;
            }
        }
        return false;
    }

    private int drainBacklog()
    {
        int n = 0;
        TxPacket p;
        while ((p = backlog.peek()) != null && post(p))
        {
            backlog.poll();
            n++;
        }
        return n;
    }

    private int reapControl()
    {
        int n = 0;
        long entry;
        final BytesStore<?, ?> s = controlCompletions.ring().store();
        while ((entry = controlCompletions.peek()) >= 0)
        {
            final int commandIndex = (int)(ControlCompletionFlyweight.commandIndex(s, entry)
                & (config.controlRingSize() - 1));
            final int id = ControlCompletionFlyweight.contextId(s, entry);
            final int opcode = ControlCompletionFlyweight.opcode(s, entry);
            final int status = ControlCompletionFlyweight.status(s, entry);
            releaseKeyBlock(commandIndex);
            if (status != ControlCompletionFlyweight.STATUS_OK)
            {
                counters[DriverCounter.CTRL_FAILED.ordinal()]++;
            }
            if (id > 0 && id < contextState.length)
            {
                onControlCompletion(id, opcode, status);
            }
            controlCompletions.advance();
            n++;
        }
        if (n > 0)
        {
            controlCompletions.commitHead();
        }
        return n;
    }

    private void onControlCompletion(final int id, final int opcode, final int status)
    {
        if (opcode == ControlCommandFlyweight.OP_INSTALL && contextState[id] == INSTALLING)
        {
            final ArrayDeque<TxPacket> packets = held[id];
            if (status == ControlCompletionFlyweight.STATUS_OK)
            {
                contextState[id] = READY;
                counters[DriverCounter.TLS_INSTALLED.ordinal()]++;
                backlog.addAll(packets);
            }
            else
            {
                contextState[id] = FAILED;
                counters[DriverCounter.TX_DROPPED_INSTALL_FAILED.ordinal()] += packets.size();
            }
            packets.clear();
        }
        // An INSTALL completing for a context already being removed needs nothing: the REMOVE after it frees the id.
        else if (opcode == ControlCommandFlyweight.OP_REMOVE && contextState[id] == REMOVING)
        {
            contextState[id] = FREE;
            freeIds[freeIdCount++] = id;
        }
    }

    /** Zeroes and frees the key block a command pointed at: keys never linger in host memory. */
    private void releaseKeyBlock(final int commandIndex)
    {
        final long keyBlock = controlKeyBlocks[commandIndex];
        if (keyBlock != 0)
        {
            final BytesStore<?, ?> store = memory.storeOf(keyBlock);
            final long offset = memory.offsetOf(keyBlock);
            for (int i = 0; i < controlKeyBlockLengths[commandIndex]; i++)
            {
                store.writeByte(offset + i, (byte)0);
            }
            memory.free(keyBlock);
            controlKeyBlocks[commandIndex] = 0;
        }
    }

    private int reapQueue(final int q, final int budget)
    {
        final CompletionConsumer c = cq[q];
        final BytesStore<?, ?> s = c.ring().store();
        int n = 0;
        int reposted = 0;
        long entry;
        while (n < budget && (entry = c.peek()) >= 0)
        {
            if (CompletionFlyweight.kind(s, entry) == CompletionFlyweight.KIND_RX)
            {
                receive(q, s, entry);
                postRxBuffer(q, (int)(CompletionFlyweight.descriptorIndex(s, entry) & (config.rxRingSize() - 1)));
                reposted++;
            }

            c.advance();
            n++;
        }
        if (n > 0)
        {
            c.commitHead();
        }
        if (reposted > 0)
        {
            rxRing[q].publish();
            rxHandler.onPollEnd(); // napi_complete: GRO flushes what it held
        }
        return n;
    }

    private void receive(final int q, final BytesStore<?, ?> s, final long entry)
    {
        final int index = (int)(CompletionFlyweight.descriptorIndex(s, entry) & (config.rxRingSize() - 1));
        final int length = (int)CompletionFlyweight.byteCount(s, entry);
        final int flags = CompletionFlyweight.flags(s, entry);
        if ((flags & CompletionFlyweight.FLAG_CSUM_BAD) != 0)
        {
            counters[DriverCounter.RX_CSUM_BAD_DROPPED.ordinal()]++;
            return;
        }
        int mark = RxHandler.MARK_NONE;
        switch (CompletionFlyweight.tlsStatus(s, entry))
        {
            case CompletionFlyweight.TLS_DECRYPTED:
                mark = RxHandler.MARK_DECRYPTED;
                counters[DriverCounter.RX_MARKED_DECRYPTED.ordinal()]++;
                break;
            case CompletionFlyweight.TLS_ERROR:
                mark = RxHandler.MARK_DECRYPT_FAILED;
                counters[DriverCounter.RX_MARKED_DECRYPT_FAILED.ordinal()]++;
                break;
            case CompletionFlyweight.TLS_RESYNC_REQUEST:
                final int id = CompletionFlyweight.tlsContextId(s, entry);
                if (id > 0 && id < contextSockets.length && contextSockets[id] != null
                    && !loseResyncRequest.test(CompletionFlyweight.tcpSeq(s, entry)))
                {
                    counters[DriverCounter.RX_RESYNC_REQUESTS.ordinal()]++;
                    final long seq = CompletionFlyweight.tcpSeq(s, entry);
                    if (rxResyncType() == RxResyncType.ASYNC)
                    {
                        contextSockets[id].onRxResyncAsync(seq,
                            (flags & CompletionFlyweight.FLAG_RESYNC_ASYNC_PROGRESS) != 0);
                    }
                    else
                    {
                        contextSockets[id].onRxResyncRequest(seq);
                    }
                }
                break;
            default:
                break;
        }
        // Lent in place: the handler copies what it keeps before the buffer is posted again.
        rxHandler.onReceive(rxBufferStores[q][index], 0, length, mark);
    }

    @Override
    public String toString()
    {
        return name + " on " + nic.name();
    }
}
