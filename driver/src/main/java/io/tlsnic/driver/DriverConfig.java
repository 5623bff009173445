package io.tlsnic.driver;

/**
 * Driver parameters.
 *
 * @param txRingSize TX descriptors per queue (power of two).
 * @param rxRingSize RX buffers per queue (power of two).
 * @param completionRingSize completion entries per queue (power of two, at least TX + RX).
 * @param controlRingSize control commands in flight (power of two).
 * @param rxBufferLength bytes per RX buffer (a whole frame must fit).
 * @param napiBudget most completions reaped per {@code doWork()}.
 * @param tsoMaxBytes largest TSO payload handed to the device, 0 for no TSO.
 * @param txResync what the driver does with a TLS segment the device's context does not expect.
 * @param softwarePolicyThreshold share of retransmitted bytes above which a connection's TX moves to software.
 * @param napi when the driver polls its completion queues: on every {@code doWork()} or after an interrupt.
 */
public record DriverConfig(
    int txRingSize, int rxRingSize, int completionRingSize, int controlRingSize, int rxBufferLength, int napiBudget,
    int tsoMaxBytes, TxResyncStrategy txResync, double softwarePolicyThreshold, Napi napi)
{
    /**
     * When NAPI polls run. Busy polling reaps completions on every {@code doWork()}: each poll takes whatever the
     * device has published since the last one, which in a single-threaded run is one frame, so GRO merges nothing
     * and the receiver acknowledges every second segment. Interrupts model Linux's NAPI under a moderated device:
     * the device signals a queue when {@code coalesceFrames} completions have accumulated or {@code coalesceNs}
     * after the first unsignalled one ({@code ethtool -C rx-frames / rx-usecs}), the interrupt schedules the queue's
     * poll, and the poll runs until it reaps less than the budget (then {@code napi_complete}). A poll then carries a
     * burst of frames, GRO merges them, and TCP acknowledges each merged segment once.
     *
     * @param interrupts {@code true} to poll only queues the device has signalled.
     * @param coalesceNs the moderation timer programmed into ITR_TIMER_NS (0 .. 1 s; 0 = signal every batch).
     * @param coalesceFrames the moderation threshold programmed into ITR_PACKETS (0 .. 65535).
     */
    public record Napi(boolean interrupts, long coalesceNs, int coalesceFrames)
    {
        /** Default moderation timer, 8 us (about mlx5's default {@code rx-usecs}). */
        public static final long DEFAULT_COALESCE_NS = 8_000;
        /** Default moderation threshold, 64 completions (the NAPI budget). */
        public static final int DEFAULT_COALESCE_FRAMES = 64;

        /** Checks the values with messages that name them. */
        public Napi
        {
            if (coalesceNs < 0 || coalesceNs > 1_000_000_000L || coalesceFrames < 0 || coalesceFrames > 0xFFFF)
            {
                throw new IllegalArgumentException("interrupt coalescing " + coalesceNs + " ns (0 .. 1 s) / "
                    + coalesceFrames + " frames (0 .. 65535)");
            }
        }

        /** @return polls on every {@code doWork()}; the device's moderation registers keep their reset values. */
        public static Napi busyPoll()
        {
            return new Napi(false, 0, 1);
        }

        /**
         * @param coalesceNs the moderation timer (ethtool {@code rx-usecs}, in ns).
         * @param coalesceFrames the moderation threshold (ethtool {@code rx-frames}).
         * @return polls driven by the device's moderated interrupts.
         */
        public static Napi interrupts(final long coalesceNs, final int coalesceFrames)
        {
            return new Napi(true, coalesceNs, coalesceFrames);
        }
    }

    /** What the driver does with a TLS segment that is not at the seq the device's context expects. */
    public enum TxResyncStrategy
    {
        /**
         * mlx5: move the context to the start of the segment's record and DUMP the record's prefix through the
         * engine (not sent), then send the segment. Up to a whole record of extra DMA per retransmitted segment.
         */
        REBUILD,
        /**
         * nfp: the stack encrypts the segment in software (tls_device_fallback) and it goes out without offload;
         * after a forward jump the context is moved to the next record boundary.
         */
        NEXT_RECORD_SYNC
    }

    /** Checks the values with messages that name them. */
    public DriverConfig
    {
        for (final int size : new int[] {txRingSize, rxRingSize, completionRingSize, controlRingSize})
        {
            if (size < 2 || Integer.bitCount(size) != 1)
            {
                throw new IllegalArgumentException("ring sizes must be powers of two, got " + size);
            }
        }
        if (completionRingSize < txRingSize + rxRingSize)
        {
            throw new IllegalArgumentException("completion ring " + completionRingSize
                + " must hold TX + RX (" + (txRingSize + rxRingSize) + ")");
        }
        if (napi == null)
        {
            throw new IllegalArgumentException("NAPI mode is missing");
        }
        if (txResync == null || !(softwarePolicyThreshold >= 0 && softwarePolicyThreshold <= 1))
        {
            throw new IllegalArgumentException("TX resync strategy " + txResync + " / software policy threshold "
                + softwarePolicyThreshold + " (0 = off .. 1)");
        }
        if (rxBufferLength < 1518 || napiBudget < 1 || tsoMaxBytes < 0 || tsoMaxBytes > 65535)
        {
            throw new IllegalArgumentException("rx buffer " + rxBufferLength + " (>= 1518), budget " + napiBudget
                + " (>= 1), TSO " + tsoMaxBytes + " (0..65535)");
        }
    }

    /**
     * @return 512 TX and 512 RX entries, 1024 completions, 64 commands, 2 KiB buffers, budget 64, TSO 64000, TX
     *     rebuild, no software policy, busy polling.
     */
    public static DriverConfig defaults()
    {
        return new DriverConfig(512, 512, 1024, 64, 2048, 64, 64000, TxResyncStrategy.REBUILD, 0, Napi.busyPoll());
    }

    /** @return these settings with another TX resync strategy. */
    public DriverConfig withTxResync(final TxResyncStrategy strategy)
    {
        return new DriverConfig(txRingSize, rxRingSize, completionRingSize, controlRingSize, rxBufferLength,
            napiBudget, tsoMaxBytes, strategy, softwarePolicyThreshold, napi);
    }

    /**
     * @param threshold share of retransmitted bytes (0..1) above which a connection's TX moves to software for good
     *     (FreeBSD's ktls default is 0.02); 0 turns the policy off.
     * @return these settings with the policy.
     */
    public DriverConfig withSoftwarePolicy(final double threshold)
    {
        return new DriverConfig(txRingSize, rxRingSize, completionRingSize, controlRingSize, rxBufferLength,
            napiBudget, tsoMaxBytes, txResync, threshold, napi);
    }

    /** @return these settings with another NAPI mode. */
    public DriverConfig withNapi(final Napi mode)
    {
        return new DriverConfig(txRingSize, rxRingSize, completionRingSize, controlRingSize, rxBufferLength,
            napiBudget, tsoMaxBytes, txResync, softwarePolicyThreshold, mode);
    }
}
