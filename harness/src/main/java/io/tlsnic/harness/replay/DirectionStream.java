package io.tlsnic.harness.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of a connection as the first pass sees it: reassembled, framed into TLS records, with the packet
 * that carried each stream offset. The handshake tracker reads it; the receivers later see the raw segments again.
 */
public final class DirectionStream implements RecordFramer.RecordSink
{
    /** A framed record, an incomplete one, or the point where the stream stops being TLS. */
    public record Item(Kind kind, long streamOffset, byte[] record, int recordLength, String reason)
    {
        /** @return the record's content type (header byte 0). */
        public int contentType()
        {
            return record[0] & 0xFF;
        }
    }

    /** What an {@link Item} is. */
    public enum Kind
    {
        RECORD, INCOMPLETE, NOT_TLS
    }

    private final Endpoint source;
    private final Endpoint destination;
    private final TcpReassembler reassembler;
    private final RecordFramer framer = new RecordFramer(this);
    private final List<Item> items = new ArrayList<>();
    private final TreeMap<Long, Long> frameByOffset = new TreeMap<>();
    private final List<long[]> cutRanges = new ArrayList<>();

    /**
     * @param source      sender.
     * @param destination receiver.
     */
    public DirectionStream(final Endpoint source, final Endpoint destination)
    {
        this.source = source;
        this.destination = destination;
        this.reassembler = new TcpReassembler(framer);
    }

    /** @param segment a segment of this direction, in capture order. */
    public void accept(final TcpSegment segment)
    {
        final boolean syn = (segment.flags() & io.tlsnic.wire.frame.TcpHeaderFlyweight.SYN) != 0;
        final long dataSeq = syn ? (segment.seq() + 1) & 0xFFFF_FFFFL : segment.seq();
        if (!reassembler.started())
        {
            reassembler.accept(segment.seq(), syn, new byte[0]);
        }
        final long offset = reassembler.streamOffset(dataSeq);
        if (segment.wireLength() > 0)
        {
            frameByOffset.putIfAbsent(offset, segment.frameNumber());
        }
        if (segment.missingLength() > 0)
        {
            final long cutStart = offset + segment.payloadLength();
            cutRanges.add(new long[] {cutStart, cutStart + segment.missingLength(), segment.frameNumber()});
        }
        reassembler.accept(segment.seq(), syn, segment.data(), segment.payloadOffset(), segment.payloadLength());
    }

    /** The capture has ended: report holes and a partial last record. */
    public void finish()
    {
        reassembler.finish();
        framer.finish();
    }

    @Override
    public void onRecord(final long streamOffset, final byte[] record, final boolean afterLostChain)
    {
        items.add(new Item(Kind.RECORD, streamOffset, record, record.length, null));
    }

    @Override
    public void onIncomplete(final long streamOffset, final int recordLength, final String reason)
    {
        items.add(new Item(Kind.INCOMPLETE, streamOffset, null, recordLength, reason));
    }

    @Override
    public void onNotTls(final long streamOffset)
    {
        items.add(new Item(Kind.NOT_TLS, streamOffset, null, -1, null));
    }

    /** @return records and incomplete records in stream order. */
    public List<Item> items()
    {
        return items;
    }

    /** @return the sender. */
    public Endpoint source()
    {
        return source;
    }

    /** @return the receiver. */
    public Endpoint destination()
    {
        return destination;
    }

    /**
     * @param streamOffset a stream offset.
     * @return the packet that first carried the byte at that offset (or the closest packet before it), or 0.
     */
    public long frameAt(final long streamOffset)
    {
        final Map.Entry<Long, Long> entry = frameByOffset.floorEntry(streamOffset);
        return entry == null ? 0 : entry.getValue();
    }

    /**
     * @param streamOffset a stream offset.
     * @return its TCP sequence number.
     */
    public long seqAt(final long streamOffset)
    {
        return reassembler.seq(streamOffset);
    }

    /**
     * @param seq TCP sequence number of a record header.
     * @return the record framed there ({@link Item#record()}), or null when no whole record starts there.
     */
    public byte[] recordAt(final long seq)
    {
        final long offset = offsetOf(seq);
        int low = 0;
        int high = items.size() - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final Item item = items.get(middle);
            if (item.streamOffset() < offset)
            {
                low = middle + 1;
            }
            else if (item.streamOffset() > offset)
            {
                high = middle - 1;
            }
            else
            {
                return item.kind() == Kind.RECORD ? item.record() : null;
            }
        }
        return null;
    }

    /**
     * @param seq a sequence number of this direction.
     * @return its stream offset.
     */
    public long offsetOf(final long seq)
    {
        return reassembler.streamOffset(seq);
    }

    /**
     * @param from first stream offset.
     * @param to   end stream offset.
     * @return the packet whose snaplen cut bytes in {@code [from, to)}, or 0 when none did.
     */
    public long cutFrameWithin(final long from, final long to)
    {
        for (final long[] range : cutRanges)
        {
            if (range[0] < to && range[1] > from)
            {
                return range[2];
            }
        }
        return 0;
    }

    /**
     * @param frame a packet the snaplen cut.
     * @return e.g. "lost 1400 payload bytes at tcp seq 1048..2448".
     */
    public String cutDescription(final long frame)
    {
        for (final long[] range : cutRanges)
        {
            if (range[2] == frame)
            {
                return "lost " + (range[1] - range[0]) + " payload bytes at tcp seq " + seqAt(range[0]) + ".."
                    + seqAt(range[1]);
            }
        }
        return "lost payload bytes";
    }

    @Override
    public String toString()
    {
        return source + " -> " + destination;
    }
}
