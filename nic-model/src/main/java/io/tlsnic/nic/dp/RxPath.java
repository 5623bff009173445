package io.tlsnic.nic.dp;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.ContextCache;
import io.tlsnic.nic.flow.Direction;
import io.tlsnic.nic.flow.FlowContextTable;
import io.tlsnic.nic.flow.FlowKey;
import io.tlsnic.nic.flow.RssIndirectionTable;
import io.tlsnic.nic.flow.ToeplitzHash;
import io.tlsnic.nic.mem.Dma;
import io.tlsnic.nic.ring.CompletionFlyweight;
import io.tlsnic.nic.ring.CompletionProducer;
import io.tlsnic.nic.ring.InterruptModerator;
import io.tlsnic.nic.ring.RxDescriptorFlyweight;
import io.tlsnic.nic.ring.SubmissionConsumer;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.nic.tls.RxTlsEngine;
import io.tlsnic.wire.frame.Checksums;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;

/**
 * The receive side of the device: each frame from the link is parsed, its checksums verified (a bad checksum means
 * no TLS processing), hashed to a queue by RSS, looked up in the flow table, decrypted in flight when it belongs to
 * an RX context, written by DMA into the next posted RX buffer of its queue, and reported by a completion with its
 * TLS status. Nothing here throws for any frame content.
 */
public final class RxPath
{
    /** Queue rings, per queue; null entries for queues not mapped yet. */
    private final SubmissionConsumer[] buffers;
    private final CompletionProducer[] completions;
    private final InterruptModerator[] moderators;
    private final Dma dma;
    private final FlowContextTable table;
    private final ContextCache cache;
    private final NicCounterSet counters;
    private final ToeplitzHash rss;
    private final RssIndirectionTable reta;
    private final FrameParser parser = new FrameParser();
    /** The device's receive buffer: each frame is parsed, decrypted and DMA'd from here, no allocation per frame. */
    private final byte[] buffer = new byte[NicConfig.MAX_TX_FRAME];
    private final BytesStore<?, byte[]> bufferStore = BytesStore.wrap(buffer);
    private final FlowKey key = new FlowKey();
    private final int[] completedPerQueue;
    private RxTlsObserver observer;

    /** What {@link #receive} did with a frame. */
    public enum Result
    {
        /** Delivered to a host buffer (or dropped and counted). */
        CONSUMED,
        /** Its queue's completion ring is full: keep the frame and try again later. */
        BACK_PRESSURE
    }

    public RxPath(final SubmissionConsumer[] buffers, final CompletionProducer[] completions,
        final InterruptModerator[] moderators, final Dma dma, final FlowContextTable table, final ContextCache cache,
        final NicCounterSet counters, final ToeplitzHash rss, final RssIndirectionTable reta)
    {
        this.buffers = buffers;
        this.completions = completions;
        this.moderators = moderators;
        this.dma = dma;
        this.table = table;
        this.cache = cache;
        this.counters = counters;
        this.rss = rss;
        this.reta = reta;
        this.completedPerQueue = new int[buffers.length];
    }

    /**
     * Receives one frame.
     *
     * @param received frame bytes, not modified: the device works on its own copy (decrypted when it qualifies).
     * @param length frame length.
     * @return whether it was consumed.
     */
    public Result receive(final byte[] received, final int length)
    {
        // A frame larger than the device's buffer (none a link delivers: it is sized for 64 KiB IP packets) is
        // handled in the caller's array as before.
        final boolean fits = length <= buffer.length;
        final byte[] frame = fits ? buffer : received;
        final BytesStore<?, byte[]> store = fits ? bufferStore : BytesStore.wrap(received);
        if (fits)
        {
            System.arraycopy(received, 0, buffer, 0, length);
        }
        final boolean tcp = parser.parseEthernet(store, 0, length) == ParseStatus.OK;
        int queue = 0;
        int hash = 0;
        int flags = 0;
        if (tcp)
        {
            final boolean l3Ok = parser.ipVersion() != 4 || Checksums.verifyIpv4Header(store, parser.l3Offset());
            final boolean l4Ok = parser.tcpChecksumValid();
            if (l3Ok && l4Ok)
            {
                flags = CompletionFlyweight.FLAG_L3_CSUM_OK | CompletionFlyweight.FLAG_L4_CSUM_OK;
                setKey();
                hash = rss.hash(key);
                queue = reta.queueFor(hash);
            }
            else
            {
                flags = CompletionFlyweight.FLAG_CSUM_BAD;
                counters.increment(NicCounters.RX_CSUM_BAD);
            }
        }
        final SubmissionConsumer ring = buffers[queue];
        final CompletionProducer cq = completions[queue];
        if (ring == null || cq == null)
        {
            counters.increment(NicCounters.RX_DROPPED_NO_BUFFER);
            return Result.CONSUMED;
        }
        if (!cq.hasSpace())
        {
            return Result.BACK_PRESSURE;
        }
        final long buffer = ring.peek();
        if (buffer < 0 || RxDescriptorFlyweight.bufferLength(ring.ring().store(), buffer) < length)
        {
            counters.increment(NicCounters.RX_DROPPED_NO_BUFFER);
            return Result.CONSUMED;
        }

        int tlsStatus = CompletionFlyweight.TLS_NOT_DECRYPTED;
        int contextId = 0;
        int resyncSeq = 0;
        if ((flags & CompletionFlyweight.FLAG_L4_CSUM_OK) != 0 && parser.payloadLength() > 0)
        {
            final int slot = table.lookup(key);
            if (slot >= 0)
            {
                contextId = table.contextId(slot);
                final RxTlsEngine engine = (RxTlsEngine)cache.acquire(slot).engine();
                final RxTlsEngine.Outcome o = engine.process(parser.tcp().sequenceNumber(), frame,
                    parser.payloadOffset(), parser.payloadLength());
                tlsStatus = o.status.code();
                if (o.status == RxTlsEngine.Status.DECRYPTED)
                {
                    counters.increment(NicCounters.RX_TLS_DECRYPTED_PACKETS);
                    counters.add(NicCounters.RX_TLS_DECRYPTED_BYTES, parser.payloadLength());
                }
                else if (o.status == RxTlsEngine.Status.ERROR)
                {
                    counters.increment(NicCounters.RX_TLS_ERR);
                }
                else if (o.status == RxTlsEngine.Status.RESYNC_REQUEST)
                {
                    resyncSeq = (int)o.resyncSeq;
                    counters.increment(NicCounters.RX_TLS_RESYNC_REQ_PKT);
                    if (o.asyncProgress)
                    {
                        flags |= CompletionFlyweight.FLAG_RESYNC_ASYNC_PROGRESS;
                    }
                }
                if (o.requestStarted)
                {
                    counters.increment(NicCounters.RX_TLS_RESYNC_REQ_START);
                }
                if (o.requestAbandoned)
                {
                    counters.increment(NicCounters.RX_TLS_RESYNC_REQ_SKIP);
                }
                if (observer != null)
                {
                    observer.onSegment(contextId, key, parser.tcp().sequenceNumber(), parser.payloadLength(), tlsStatus,
                        engine.state());
                }
            }
        }

        final long address = RxDescriptorFlyweight.bufferAddress(ring.ring().store(), buffer);
        if (!dma.write(address, frame, 0, length))
        {
            // dma_errors counted by Dma; the buffer is returned empty so the driver can repost it.
            flags = CompletionFlyweight.FLAG_CSUM_BAD;
        }
        final long completion = cq.claim();
        CompletionFlyweight.writeBody(cq.ring().store(), completion, (int)ring.nextSequence(), queue,
            CompletionFlyweight.KIND_RX, tlsStatus, length, contextId, resyncSeq, hash, flags);
        ring.advance();
        // The buffer's slot is handed back before its completion is out: a driver on another thread reposts a
        // buffer as soon as it reaps the completion, and would find the ring full if the head lagged behind.
        ring.commitHead();
        cq.publish();
        counters.increment(NicCounters.RX_PACKETS);
        completedPerQueue[queue]++;
        return Result.CONSUMED;
    }

    /** @param rxTlsObserver sees each segment of a flow with an RX context, or null for none. */
    public void setObserver(final RxTlsObserver rxTlsObserver)
    {
        this.observer = rxTlsObserver;
    }

    /** Publishes consumer heads and feeds interrupt moderation for everything received since the last call. */
    public void flush()
    {
        for (int q = 0; q < completedPerQueue.length; q++)
        {
            if (completedPerQueue[q] > 0)
            {
                buffers[q].commitHead();
                moderators[q].onCompletions(completedPerQueue[q]);
                completedPerQueue[q] = 0;
            }
        }
    }

    private void setKey()
    {
        if (parser.ipVersion() == 4)
        {
            key.setIpv4(Direction.RX, parser.sourceIpv4(), parser.destinationIpv4(), parser.sourcePort(),
                parser.destinationPort());
        }
        else
        {
            key.setIpv6(Direction.RX, parser.sourceAddressHigh(), parser.sourceAddressLow(),
                parser.destinationAddressHigh(), parser.destinationAddressLow(), parser.sourcePort(),
                parser.destinationPort());
        }
    }
}
