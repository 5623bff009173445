package io.tlsnic.nic.dp;

import io.tlsnic.nic.flow.TrackerState;

/**
 * Sees what the RX record tracker did with each TCP segment of a flow that has an RX context: for reports and event
 * logs (the device's view against TCP sequence). Called on the device's thread, after the segment was processed.
 */
@FunctionalInterface
public interface RxTlsObserver
{
    /**
     * @param contextId the context's id (as in the completion).
     * @param key the flow's key (valid during the call only).
     * @param tcpSeq TCP sequence number of the segment's first payload byte.
     * @param payloadLength payload bytes.
     * @param tlsStatus the completion's TLS status ({@code CompletionFlyweight.TLS_*}).
     * @param stateAfter the tracker state after the segment.
     */
    void onSegment(int contextId, io.tlsnic.nic.flow.FlowKey key, long tcpSeq, int payloadLength, int tlsStatus, TrackerState stateAfter);
}
