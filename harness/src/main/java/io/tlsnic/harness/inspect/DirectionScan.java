package io.tlsnic.harness.inspect;

import io.tlsnic.harness.replay.Endpoint;
import io.tlsnic.harness.replay.TcpReassembler;
import io.tlsnic.harness.replay.TcpSegment;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;

/**
 * One direction of a connection as inspection reads it: every segment counted as it arrives, the stream reassembled
 * and framed, the first carrier of every byte noted; {@link #finish()} then measures the geometry.
 */
final class DirectionScan
{
    private static final long SEQ_MASK = 0xFFFF_FFFFL;

    private final Endpoint source;
    private final Endpoint destination;
    private final RecordLog log = new RecordLog();
    private final TcpReassembler reassembler = new TcpReassembler(log);
    private final ByteCarriers carriers = new ByteCarriers();
    private final ArrivalCounter arrivals = new ArrivalCounter();
    private final GeometryTally tally = new GeometryTally();
    private long firstFrame;
    private boolean sentBareSyn;
    private boolean sentSyn;
    private long cutFrame;
    private String cutDescription;

    /**
     * @param source      sender.
     * @param destination receiver.
     */
    DirectionScan(final Endpoint source, final Endpoint destination)
    {
        this.source = source;
        this.destination = destination;
    }

    /** @param segment a segment of this direction, in capture order. */
    void accept(final TcpSegment segment)
    {
        if (firstFrame == 0)
        {
            firstFrame = segment.frameNumber();
        }
        final boolean syn = (segment.flags() & TcpHeaderFlyweight.SYN) != 0;
        sentSyn |= syn;
        sentBareSyn |= syn && (segment.flags() & TcpHeaderFlyweight.ACK) == 0;
        if (!reassembler.started())
        {
            reassembler.accept(segment.seq(), syn, new byte[0]);
        }
        if (segment.wireLength() > 0)
        {
            final long dataSeq = syn ? (segment.seq() + 1) & SEQ_MASK : segment.seq();
            final long start = reassembler.streamOffset(dataSeq);
            final long end = start + segment.payloadLength();
            if (segment.missingLength() > 0 && cutFrame == 0)
            {
                cutFrame = segment.frameNumber();
                cutDescription = "lost " + segment.missingLength() + " payload bytes at tcp seq "
                    + ((dataSeq + segment.payloadLength()) & SEQ_MASK) + ".." + ((dataSeq + segment.wireLength()) & SEQ_MASK);
            }
            final long carried = end > 0 ? carriers.carry(Math.max(0, start), end, segment.frameNumber()) : 0;
            arrivals.onSegment(start, end, carried);
            tally.payloadLengths.add(segment.wireLength());
        }
        reassembler.accept(segment.seq(), syn, segment.data(), segment.payloadOffset(), segment.payloadLength());
    }

    /** The capture has ended: close the stream and measure. */
    void finish()
    {
        reassembler.finish();
        log.finish();
        tally.streamBytes = carriers.carriedLength();
        tally.loss = arrivals.figures(log.missingRanges(), log.missingLength());
        GeometryMeter.measure(carriers, log.records(), log.notTlsOffset(), tally);
    }

    /** @return why the direction is not inspected, or null when it carries TLS. */
    String skipReason()
    {
        if (firstFrame == 0)
        {
            return "no packet in the capture";
        }
        if (tally.payloadLengths.count() == 0)
        {
            return "no payload";
        }
        if (!log.isTls())
        {
            final long frame = carriers.overlapping(0, 1).stream().findFirst().map(ByteCarriers.Piece::frame).orElse(0L);
            return "not TLS: the stream does not begin with a TLS record header (tcp seq " + reassembler.seq(0)
                + (frame == 0 ? "" : ", packet " + frame) + ")"
                + (sentSyn ? "" : "; no SYN in the capture, so it may begin inside a record");
        }
        return null;
    }

    /** @return the packet whose snaplen cut payload bytes of this direction, or 0. */
    long cutFrame()
    {
        return cutFrame;
    }

    /** @return e.g. "lost 1400 payload bytes at tcp seq 1048..2448". */
    String cutDescription()
    {
        return cutDescription;
    }

    /** @return whether this direction's sender opened the connection (a SYN without ACK). */
    boolean sentBareSyn()
    {
        return sentBareSyn;
    }

    /** @return whether the stream begins with a ClientHello. */
    boolean startsWithClientHello()
    {
        return log.startsWithClientHello();
    }

    /** @return the first packet of this direction. */
    long firstFrame()
    {
        return firstFrame;
    }

    /** @return sender. */
    Endpoint source()
    {
        return source;
    }

    /** @return receiver. */
    Endpoint destination()
    {
        return destination;
    }

    /** @return the measures (valid after {@link #finish()}). */
    GeometryTally tally()
    {
        return tally;
    }
}
