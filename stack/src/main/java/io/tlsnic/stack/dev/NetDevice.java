package io.tlsnic.stack.dev;

/** A network device as the stack sees it. */
public interface NetDevice
{
    /** @return a name for logs and reports ("nic0"). */
    String name();

    /** @return what the device offers. */
    DeviceFeatures features();

    /**
     * Queues a frame for transmission.
     *
     * @param packet the frame; its buffers are lent for this call only (a device that keeps the packet past it keeps
     *     {@link TxPacket#detached()}).
     * @return false when the device cannot take it now (its queue is full); the caller keeps the packet and tries
     *     again after {@link #setTxSpaceListener the space listener} runs. Nothing is lost either way.
     */
    boolean transmit(TxPacket packet);

    /** @param handler where received frames go. */
    void setRxHandler(RxHandler handler);

    /** @param listener called when a refused transmit may now succeed. */
    void setTxSpaceListener(Runnable listener);

    /** @return the TLS offload operations, or null when the device offers none. */
    TlsDeviceOps tlsOps();
}
