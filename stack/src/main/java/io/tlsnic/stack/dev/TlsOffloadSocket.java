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
}
