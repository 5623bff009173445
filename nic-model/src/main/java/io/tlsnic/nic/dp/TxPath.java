package io.tlsnic.nic.dp;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.ContextCache;
import io.tlsnic.nic.flow.Direction;
import io.tlsnic.nic.flow.FlowContextTable;
import io.tlsnic.nic.mem.Dma;
import io.tlsnic.nic.ring.CompletionFlyweight;
import io.tlsnic.nic.ring.CompletionProducer;
import io.tlsnic.nic.ring.InterruptModerator;
import io.tlsnic.nic.ring.SubmissionConsumer;
import io.tlsnic.nic.ring.TxDescriptorFlyweight;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.nic.tls.TxTlsEngine;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;

/**
 * The transmit side of one queue: reads a descriptor chain and its buffers from host memory by DMA, encrypts the
 * TLS records in flight when the first descriptor names a TX context, segments TSO super-frames into MSS frames,
 * computes checksums and puts the frames on the link, then posts one TX completion per packet. Any TLS error
 * drops the packet: cleartext of an offloaded flow never reaches the wire (tls-offload.rst).
 */
public final class TxPath
{
    /** Where transmitted frames go (the device's link port). */
    @FunctionalInterface
    public interface Port
    {
        /**
         * @param frame the device's transmit buffer, valid during the call only: a port that keeps the frame copies
         *     it (the link does), so the device allocates nothing per frame.
         * @param offset where the frame starts in it (a TSO frame is cut in place).
         * @param length frame length.
         */
        void transmit(byte[] frame, int offset, int length);
    }

    private final int queue;
    private final SubmissionConsumer descriptors;
    private final CompletionProducer completions;
    private final InterruptModerator moderator;
    private final Dma dma;
    private final FlowContextTable table;
    private final ContextCache cache;
    private final NicCounterSet counters;
    private final Port port;
    private final byte[] frame = new byte[NicConfig.MAX_TX_FRAME];
    private final BytesStore<?, byte[]> frameStore = BytesStore.wrap(frame);
    private final FrameParser parser = new FrameParser();
    private final Tso tso = new Tso();

    /**
     * @param queue queue number.
     * @param descriptors device side of the TX descriptor ring.
     * @param completions device side of the queue's completion ring (shared with RX).
     * @param moderator the queue's interrupt moderation.
     * @param dma DMA port.
     * @param table flow contexts.
     * @param cache engine states.
     * @param counters device counters.
     * @param port where frames go.
     */
    public TxPath(final int queue, final SubmissionConsumer descriptors, final CompletionProducer completions,
        final InterruptModerator moderator, final Dma dma, final FlowContextTable table, final ContextCache cache,
        final NicCounterSet counters, final Port port)
    {
        this.queue = queue;
        this.descriptors = descriptors;
        this.completions = completions;
        this.moderator = moderator;
        this.dma = dma;
        this.table = table;
        this.cache = cache;
        this.counters = counters;
        this.port = port;
    }

    /**
     * Handles up to {@code batch} packets.
     *
     * @param batch most packets.
     * @return packets handled.
     */
    public int doWork(final int batch)
    {
        int packets = 0;
        while (packets < batch)
        {
            final long first = descriptors.peek();
            if (first < 0 || !completions.hasSpace())
            {
                break;
            }
            final BytesStore<?, ?> ring = descriptors.ring().store();
            final int flags = TxDescriptorFlyweight.flags(ring, first);
            final int mss = TxDescriptorFlyweight.mss(ring, first);
            final int contextId = TxDescriptorFlyweight.tlsContextId(ring, first);
            if ((flags & TxDescriptorFlyweight.FLAG_CTX_SYNC) != 0)
            {
                // A context command in the data ring: no buffer, no completion of its own data.
                resync(contextId, TxDescriptorFlyweight.bufferLength(ring, first),
                    TxDescriptorFlyweight.tlsSync(ring, first));
                final long index = descriptors.nextSequence();
                descriptors.advance();
                final long completion = completions.claim();
                CompletionFlyweight.writeBody(completions.ring().store(), completion, (int)index, queue,
                    CompletionFlyweight.KIND_TX, 0, 0, contextId, 0, 0, 0);
                completions.publish();
                packets++;
                continue;
            }
            final long dumpSeq = TxDescriptorFlyweight.tlsSync(ring, first) & 0xFFFF_FFFFL;
            int length = 0;
            boolean ok = true;
            long entry = first;
            long lastIndex;
            while (true)
            {
                final long address = TxDescriptorFlyweight.bufferAddress(ring, entry);
                final int n = (int)TxDescriptorFlyweight.bufferLength(ring, entry);
                final int entryFlags = TxDescriptorFlyweight.flags(ring, entry);
                if (ok && (n < 0 || length + n > frame.length || !dma.read(address, frame, length, n)))
                {
                    ok = false; // dma_errors counted by Dma, oversize silently part of the same drop
                }
                length += Math.max(n, 0);
                lastIndex = descriptors.nextSequence();
                descriptors.advance();
                if ((entryFlags & TxDescriptorFlyweight.FLAG_EOP) != 0)
                {
                    break;
                }
                entry = descriptors.peek();
                if (entry < 0)
                {
                    ok = false; // a chain published without its end: drop what was read
                    break;
                }
            }
            if (ok && (flags & TxDescriptorFlyweight.FLAG_DUMP) != 0)
            {
                dump(contextId, dumpSeq, length);
            }
            else if (ok)
            {
                send(length, flags, mss, contextId);
            }
            final long completion = completions.claim();
            CompletionFlyweight.writeBody(completions.ring().store(), completion, (int)lastIndex, queue,
                CompletionFlyweight.KIND_TX, 0, length, contextId, 0, 0, 0);
            completions.publish();
            packets++;
        }
        if (packets > 0)
        {
            descriptors.commitHead();
            moderator.onCompletions(packets);
        }
        return packets;
    }

    private void send(final int length, final int flags, final int mss, final int contextId)
    {
        if ((flags & (TxDescriptorFlyweight.FLAG_TLS | TxDescriptorFlyweight.FLAG_TSO
            | TxDescriptorFlyweight.FLAG_L4_CSUM)) == 0)
        {
            emitWhole(length); // no offload asks for the headers: out as the host built it, unparsed
            return;
        }
        final ParseStatus status = parser.parseEthernet(frameStore, 0, length);
        final boolean tcp = status == ParseStatus.OK;
        if ((flags & TxDescriptorFlyweight.FLAG_TLS) != 0)
        {
            if (!tcp || !encrypt(contextId))
            {
                return;
            }
        }
        if (tcp && (flags & TxDescriptorFlyweight.FLAG_TSO) != 0 && mss > 0 && parser.payloadLength() > mss)
        {
            counters.add(NicCounters.TX_FRAMES, tso.segment(parser, frame, frameStore, mss, port::transmit));
            counters.add(NicCounters.TX_PACKETS, 1);
            return;
        }
        if (tcp && (flags & (TxDescriptorFlyweight.FLAG_L4_CSUM | TxDescriptorFlyweight.FLAG_TLS)) != 0)
        {
            // Encryption changed the payload: the TCP checksum is computed after it, as the device does.
            tso.finish(parser, frameStore, 0, parser.payloadOffset(), parser.payloadLength(),
                parser.tcp().sequenceNumber(), parser.tcp().flags(),
                parser.ipVersion() == 4 ? parser.ipv4().identification() : 0);
        }
        emitWhole(length);
    }

    /** Sends the frame buffer's {@code length} bytes as one frame and counts it. */
    private void emitWhole(final int length)
    {
        port.transmit(frame, 0, length);
        counters.add(NicCounters.TX_PACKETS, 1);
        counters.add(NicCounters.TX_FRAMES, 1);
    }

    /** Moves a TX context to a record start (the host's rebuild of a retransmitted record, mlx5 style). */
    private void resync(final int contextId, final long tcpSeq, final long recordNumber)
    {
        final int slot = table.slotOf(contextId);
        if (slot < 0 || table.direction(slot) != Direction.TX)
        {
            counters.increment(NicCounters.TX_TLS_DROP_NO_CTX);
            return;
        }
        table.resync(slot, (int)tcpSeq, recordNumber);
        counters.increment(NicCounters.TX_TLS_OOO);
    }

    /** Runs a record prefix through the context's engine without sending it (DUMP). */
    private void dump(final int contextId, final long tcpSeq, final int length)
    {
        final int slot = table.slotOf(contextId);
        if (slot < 0 || table.direction(slot) != Direction.TX)
        {
            counters.increment(NicCounters.TX_TLS_DROP_NO_CTX);
            return;
        }
        final TxTlsEngine engine = (TxTlsEngine)cache.acquire(slot).engine();
        if (engine.encrypt(tcpSeq, frame, 0, length) != TxTlsEngine.Result.ENCRYPTED)
        {
            counters.increment(NicCounters.TX_TLS_DROP_ERROR);
            return;
        }
        counters.increment(NicCounters.TX_TLS_DUMP_PACKETS);
        counters.add(NicCounters.TX_TLS_DUMP_BYTES, length);
    }

    /** @return whether the payload was encrypted and the packet may go. */
    private boolean encrypt(final int contextId)
    {
        final int slot = table.slotOf(contextId);
        if (slot < 0 || table.direction(slot) != Direction.TX)
        {
            counters.increment(NicCounters.TX_TLS_DROP_NO_CTX);
            return false;
        }
        final TxTlsEngine engine = (TxTlsEngine)cache.acquire(slot).engine();
        final int payload = parser.payloadLength();
        switch (engine.encrypt(parser.tcp().sequenceNumber(), frame, parser.payloadOffset(), payload))
        {
            case ENCRYPTED:
                counters.increment(NicCounters.TX_TLS_ENCRYPTED_PACKETS);
                counters.add(NicCounters.TX_TLS_ENCRYPTED_BYTES, payload);
                return true;
            case OUT_OF_ORDER:
                counters.increment(NicCounters.TX_TLS_OOO);
                return false;
            default:
                counters.increment(NicCounters.TX_TLS_DROP_ERROR);
                return false;
        }
    }
}
