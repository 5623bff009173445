package io.tlsnic.nic.ring;

/**
 * The driver side of a completion queue: an entry is there when its owner word, read with an acquire load, holds
 * the phase of the entry's lap ({@link Ring#phaseOf}); the driver consumes in order and hands slots back by writing
 * the CQ head register ({@link #commitHead()}, ordered), typically once per poll budget.
 */
public final class CompletionConsumer
{
    private final Ring ring;
    private final int ownerWordOffset;
    private final RingIndex head;
    private long nextSeq;

    /**
     * @param ring the queue's memory.
     * @param ownerWordOffset offset of the owner word inside an entry.
     * @param head the CQ head (consumer index) register this side writes.
     */
    public CompletionConsumer(final Ring ring, final int ownerWordOffset, final RingIndex head)
    {
        this.ring = ring;
        this.ownerWordOffset = ownerWordOffset;
        this.head = head;
        this.nextSeq = head.get();
    }

    /** @return offset of the next published entry, or -1 when the device has not published it yet. */
    public long peek()
    {
        final long offset = ring.entryOffset(nextSeq);
        final int owner = EntryAccess.readIntAcquire(ring.store(), offset + ownerWordOffset);
        return (owner & 1) == ring.phaseOf(nextSeq) ? offset : -1;
    }

    /** Consumes the entry {@link #peek()} returned. */
    public void advance()
    {
        nextSeq++;
    }

    /** Publishes the consumer index (ordered): the device may reuse the consumed slots. */
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
