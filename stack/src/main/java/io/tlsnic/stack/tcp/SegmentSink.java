package io.tlsnic.stack.tcp;

/**
 * Where a {@link TcpConnection} puts the segments it emits: the device (or, in tests, an emulated wire). The
 * connection gives up the segment; the sink must not call back into the same connection synchronously, it hands
 * the segment on through the scheduler.
 */
@FunctionalInterface
public interface SegmentSink
{
    /** @param segment a segment the connection emitted; immutable. */
    void send(TcpSegment segment);
}
