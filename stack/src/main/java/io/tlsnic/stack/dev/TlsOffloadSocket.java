package io.tlsnic.stack.dev;

/**
 * Upcalls a driver makes into an offloaded socket (net/tls: {@code tls_offload_rx_resync_request} and friends).
 * Default methods do nothing, so a socket implements only what its resync mode uses.
 */
public interface TlsOffloadSocket
{
    /**
     * The device found a header candidate at {@code tcpSeq} and asks the stack to confirm it with the record
     * number (device-request resync).
     *
     * @param tcpSeq TCP seq of the candidate header.
     */
    default void onRxResyncRequest(final long tcpSeq)
    {
    }

    /**
     * Async resync (mlx5): the device latched onto a candidate, or reports the header it tracks now.
     *
     * @param tcpSeq the candidate (start) or the device's current header (progress).
     * @param progress false for the start of a request, true for a progress report.
     */
    default void onRxResyncAsync(final long tcpSeq, final boolean progress)
    {
    }
}
