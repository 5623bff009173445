package io.tlsnic.nic.ring;

/**
 * The device side of a submission ring: reads the tail doorbell with acquire semantics, consumes entries in order
 * and publishes its head (consumer index) so the driver can reuse the slots. Reads the tail only when the entries
 * it already knows about are used up, as a device caches the doorbell value.
 */
public final class SubmissionConsumer
{
    private final Ring ring;
    private final RingIndex tail;
    private final RingIndex head;
    private long nextSeq;
    private long tailCache;

    /**
     * @param ring the ring's memory.
     * @param tail the tail doorbell the driver writes.
     * @param head the consumer index this side publishes.
     */
    public SubmissionConsumer(final Ring ring, final RingIndex tail, final RingIndex head)
    {
        this.ring = ring;
        this.tail = tail;
        this.head = head;
        this.nextSeq = head.get();
        this.tailCache = nextSeq;
    }

    /**
     * @return offset of the next published entry in {@code ring().store()}, or -1 when there is none. Does not
     *         consume it: call {@link #advance()} when done with it.
     */
    public long peek()
    {
        if (nextSeq == tailCache)
        {
            tailCache = tail.get();
            if (nextSeq == tailCache)
            {
                return -1;
            }
        }
        return ring.entryOffset(nextSeq);
    }

    /** Consumes the entry {@link #peek()} returned (the slot is handed back at {@link #commitHead()}). */
    public void advance()
    {
        nextSeq++;
    }

    /** Publishes the head (ordered), handing consumed slots back to the driver. */
    public void commitHead()
    {
        head.set(nextSeq);
    }

    /** @return sequence of the next entry to consume. */
    public long nextSequence()
    {
        return nextSeq;
    }

    /** @return the ring. */
    public Ring ring()
    {
        return ring;
    }
}
