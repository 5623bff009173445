package io.tlsnic.nic.ring;

/**
 * The driver side of a submission ring (TX descriptors, RX buffers, control commands): claim entries, write them,
 * then {@link #publish()} — one ordered store of the tail doorbell, so the device that reads the tail with acquire
 * semantics sees every entry written before it. When the ring is full (the device has not consumed, as its head
 * index says) {@link #claim()} refuses: nothing is overwritten, the caller keeps its work and retries.
 */
public final class SubmissionProducer
{
    private final Ring ring;
    private final RingIndex tail;
    private final RingIndex head;
    private long nextSeq;
    private long headCache;

    /**
     * @param ring the ring's memory.
     * @param tail the tail doorbell this side writes.
     * @param head the consumer index the device publishes.
     */
    public SubmissionProducer(final Ring ring, final RingIndex tail, final RingIndex head)
    {
        this.ring = ring;
        this.tail = tail;
        this.head = head;
        this.nextSeq = tail.get();
        this.headCache = head.get();
    }

    /**
     * Claims the next entry for writing.
     *
     * @return offset of the entry in {@code ring().store()}, or -1 when the ring is full.
     */
    public long claim()
    {
        if (nextSeq - headCache >= ring.capacity())
        {
            headCache = head.get();
            if (nextSeq - headCache >= ring.capacity())
            {
                return -1;
            }
        }
        return ring.entryOffset(nextSeq++);
    }

    /** Publishes every claimed entry: writes the tail doorbell (ordered). */
    public void publish()
    {
        tail.set(nextSeq);
    }

    /** @return the sequence the next {@link #claim()} gets. */
    public long nextSequence()
    {
        return nextSeq;
    }

    /** @return entries that can be claimed now. */
    public int freeEntries()
    {
        headCache = head.get();
        return (int)(ring.capacity() - (nextSeq - headCache));
    }

    /** @return the ring. */
    public Ring ring()
    {
        return ring;
    }
}
