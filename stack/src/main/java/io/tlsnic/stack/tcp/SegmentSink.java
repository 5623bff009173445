package io.tlsnic.stack.tcp;

/**
 * Where a {@link TcpConnection} puts the segments it emits: the device (or, in tests, an emulated wire). The
 * connection gives up the segment; the sink must not call back into the same connection synchronously, it hands
 * the segment on through the scheduler.
 */
@FunctionalInterface
public interface SegmentSink
{
    /**
     * @param segment a segment the connection emitted; immutable, and its payload too unless the sink
     *     {@link #lendsPayload() takes it on loan}.
     */
    void send(TcpSegment segment);

    /**
     * Whether the sink is done with a segment's payload when {@link #send} returns (it copies what it keeps, as a
     * device does into its TX buffers): the connection may then lend it a run of its send buffer instead of a copy
     * (TCP handing the device the pages it holds, not a copy of them). The payload changes once the bytes are
     * acknowledged and the buffer reused, so a sink that keeps segments (a test wire) must say no, the default.
     *
     * @return true when payloads may be lent.
     */
    default boolean lendsPayload()
    {
        return false;
    }

    /**
     * @param send what to do with each segment; it must copy any payload it keeps past the call.
     * @return a sink that may be lent payloads.
     */
    static SegmentSink lending(final java.util.function.Consumer<TcpSegment> send)
    {
        return new SegmentSink()
        {
            @Override
            public void send(final TcpSegment segment)
            {
                send.accept(segment);
            }

            @Override
            public boolean lendsPayload()
            {
                return true;
            }
        };
    }
}
