package io.tlsnic.nic.flow;

/**
 * The RSS indirection table: 128 entries, each a receive queue; a flow's queue is {@code entry[hash & 127]}
 * (the low 7 bits of the Toeplitz hash, as in the Microsoft RSS model and igb RETA). Initially spread round-robin
 * over the queues. Written through the RETA registers by the host; read by the device agent per received frame.
 */
public final class RssIndirectionTable
{
    /** Number of entries. */
    public static final int SIZE = 128;

    private final byte[] entries = new byte[SIZE];
    private final int queueCount;

    /** @param queueCount number of receive queues, 1 to 256. */
    public RssIndirectionTable(final int queueCount)
    {
        if (queueCount < 1 || queueCount > 256)
        {
            throw new IllegalArgumentException("queue count " + queueCount + " is not in [1, 256]");
        }
        this.queueCount = queueCount;
        for (int i = 0; i < SIZE; i++)
        {
            entries[i] = (byte)(i % queueCount);
        }
    }

    /**
     * @param hash RSS hash.
     * @return the receive queue for it.
     */
    public int queueFor(final int hash)
    {
        return entries[hash & (SIZE - 1)] & 0xFF;
    }

    /**
     * @param entry index in [0, 128).
     * @param queue queue in [0, queue count).
     * @return false (nothing changed) when the entry or queue is out of range.
     */
    public boolean set(final int entry, final int queue)
    {
        if (entry < 0 || entry >= SIZE || queue < 0 || queue >= queueCount)
        {
            return false;
        }
        entries[entry] = (byte)queue;
        return true;
    }

    /** @param entry index. @return its queue. */
    public int get(final int entry)
    {
        return entries[entry] & 0xFF;
    }

    /** @return number of queues. */
    public int queueCount()
    {
        return queueCount;
    }
}
