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
 */
public record DriverConfig(
    int txRingSize, int rxRingSize, int completionRingSize, int controlRingSize, int rxBufferLength, int napiBudget,
    int tsoMaxBytes)
{
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
        if (rxBufferLength < 1518 || napiBudget < 1 || tsoMaxBytes < 0 || tsoMaxBytes > 65535)
        {
            throw new IllegalArgumentException("rx buffer " + rxBufferLength + " (>= 1518), budget " + napiBudget
                + " (>= 1), TSO " + tsoMaxBytes + " (0..65535)");
        }
    }

    /** @return 512 TX and 512 RX entries, 1024 completions, 64 commands, 2 KiB buffers, budget 64, TSO 64000. */
    public static DriverConfig defaults()
    {
        return new DriverConfig(512, 512, 1024, 64, 2048, 64, 64000);
    }
}
