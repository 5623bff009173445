package io.tlsnic.stack.dev;

import io.tlsnic.wire.tls.CryptoInfo;

/**
 * TLS offload operations of a device ({@code struct tlsdev_ops}: {@code tls_dev_add}, {@code tls_dev_del},
 * {@code tls_dev_resync}). Failures are returned, never thrown: a socket whose {@code add} fails runs in
 * software for its whole life, and the counters say so.
 */
public interface TlsDeviceOps
{
    /** {@code add} result when the context table is full. */
    int ERR_NO_SPACE = -28;
    /** {@code add} result for a version, cipher or direction the device does not offload. */
    int ERR_NOT_SUPPORTED = -95;
    /** {@code add} result when the device is down. */
    int ERR_DEVICE_DOWN = -19;

    /**
     * Installs a context.
     *
     * @param direction TX or RX.
     * @param info keys, IVs and the number of the first record the device will see.
     * @param startTcpSeq TX: the socket's write seq; RX: the seq of the first unread byte (unsigned 32-bit).
     * @param flow the connection's addresses and ports, from this host's point of view.
     * @param socket upcalls from the device to this socket (resync requests).
     * @return a handle (0 or more), or a negative error: {@link #ERR_NO_SPACE}, {@link #ERR_NOT_SUPPORTED},
     *     {@link #ERR_DEVICE_DOWN}.
     */
    int add(TlsDirection direction, CryptoInfo info, long startTcpSeq, FlowTuple flow, TlsOffloadSocket socket);

    /**
     * Removes a context; the device zeroes its keys.
     *
     * @param direction TX or RX.
     * @param handle what {@link #add} returned.
     */
    void del(TlsDirection direction, int handle);

    /** Record number that cancels a pending RX resync request instead of answering it (async mode). */
    long CANCEL_RESYNC = -1;

    /** @return how the device regains RX sync (what the stack must do to help it). */
    default RxResyncType rxResyncType()
    {
        return RxResyncType.DEVICE_REQUEST;
    }

    /**
     * Tells the device that the record numbered {@code recordNumber} starts at {@code tcpSeq}
     * ({@link #CANCEL_RESYNC} as the number cancels the device's pending request).
     *
     * @param direction RX (confirming a resync request, or a next-record hint) or TX (next-record sync).
     * @param handle what {@link #add} returned.
     * @param tcpSeq TCP seq of the record header (unsigned 32-bit).
     * @param recordNumber record number (unsigned 64-bit).
     * @return 0, or a negative error when the device could not take it now (the stack retries later).
     */
    int resync(TlsDirection direction, int handle, long tcpSeq, long recordNumber);
}
