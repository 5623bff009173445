package io.tlsnic.nic;

import io.tlsnic.nic.flow.DeviceCapabilities;

/**
 * Device parameters a designer varies.
 *
 * @param queues queue triples (TX, RX, completion), 1..256; RSS spreads received flows over them.
 * @param contextCapacity flow-context table slots (installed contexts, both directions).
 * @param contextCacheCapacity expanded per-flow engine states kept (the on-chip context cache).
 * @param capabilities offloaded version x cipher pairs.
 * @param controlLatencyNs processing time of each control command (install, resync, remove).
 * @param batch most packets each queue handles per {@code doWork()} in each direction.
 * @param rxResyncMode how the RX record tracker regains sync.
 */
public record NicConfig(
    int queues, int contextCapacity, int contextCacheCapacity, DeviceCapabilities capabilities,
    long controlLatencyNs, int batch, io.tlsnic.nic.tls.RxResyncMode rxResyncMode)
{
    /** The same parameters with the default resync mode (device request). */
    public NicConfig(final int queues, final int contextCapacity, final int contextCacheCapacity,
        final DeviceCapabilities capabilities, final long controlLatencyNs, final int batch)
    {
        this(queues, contextCapacity, contextCacheCapacity, capabilities, controlLatencyNs, batch,
            io.tlsnic.nic.tls.RxResyncMode.DEVICE_REQUEST);
    }

    /** @return these parameters with another RX resync mode. */
    public NicConfig withRxResyncMode(final io.tlsnic.nic.tls.RxResyncMode mode)
    {
        return new NicConfig(queues, contextCapacity, contextCacheCapacity, capabilities, controlLatencyNs, batch,
            mode);
    }

    /** Largest frame the device accepts from a descriptor chain: a 64 KiB TSO payload plus headers. */
    public static final int MAX_TX_FRAME = 65536 + 256;

    /** Checks the values with messages that name them. */
    public NicConfig
    {
        if (queues < 1 || queues > 256)
        {
            throw new IllegalArgumentException("queues must be 1..256, got " + queues);
        }
        if (contextCapacity < 1 || contextCacheCapacity < 1)
        {
            throw new IllegalArgumentException("context table " + contextCapacity + " and cache "
                + contextCacheCapacity + " must be positive");
        }
        if (rxResyncMode == null)
        {
            throw new IllegalArgumentException("an RX resync mode is required");
        }
        if (controlLatencyNs < 0 || batch < 1)
        {
            throw new IllegalArgumentException("control latency " + controlLatencyNs + " ns must not be negative and "
                + "batch " + batch + " must be positive");
        }
    }

    /** @return one queue, 65536 contexts, 1024 cached, AES-GCM TLS 1.2/1.3 offload, 2 us per command, batch 64. */
    public static NicConfig defaults()
    {
        return new NicConfig(1, 65536, 1024, DeviceCapabilities.defaults(), 2_000, 64);
    }
}
