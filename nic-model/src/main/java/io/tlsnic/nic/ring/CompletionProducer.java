package io.tlsnic.nic.ring;

/**
 * The device side of a completion queue. An entry is written body first; {@link #publish()} then writes its
 * 32-bit owner word (phase bit for the entry's lap, see {@link Ring#phaseOf}) with one ordered store, the store
 * the driver polls with an acquire load (mlx5 CQE {@code op_own}). The device never overwrites an entry the
 * driver has not consumed: {@link #claim()} refuses while the queue is full by the driver's head index.
 */
public final class CompletionProducer
{
    private final Ring ring;
    private final int ownerWordOffset;
    private final RingIndex consumerHead;
    private final RingIndex producerTail;
    /** The ring's heap array, or {@code null} for direct memory. */
    private final byte[] array;
    private long nextSeq;
    private long headCache;
    private long claimedOffset = -1;

    /**
     * @param ring the queue's memory.
     * @param ownerWordOffset offset of the owner word inside an entry.
     * @param consumerHead the driver's consumer index (CQ head register).
     * @param producerTail where the producer index is published for the driver's range check, or {@code null}.
     */
    public CompletionProducer(
        final Ring ring, final int ownerWordOffset, final RingIndex consumerHead, final RingIndex producerTail)
    {
        this.ring = ring;
        this.ownerWordOffset = ownerWordOffset;
        this.consumerHead = consumerHead;
        this.producerTail = producerTail;
        this.array = EntryAccess.arrayOf(ring.store());
        this.nextSeq = consumerHead.get();
        this.headCache = nextSeq;
    }

    /**
     * Claims the next entry.
     *
     * @return its offset in {@code ring().store()}, or -1 when the queue is full; the entry must be published before
     *         the next claim.
     */
    public long claim()
    {
        if (nextSeq - headCache >= ring.capacity())
        {
            headCache = consumerHead.get();
            if (nextSeq - headCache >= ring.capacity())
            {
                return -1;
            }
        }
        claimedOffset = ring.entryOffset(nextSeq);
        return claimedOffset;
    }

    /**
     * Publishes the claimed entry: the producer index, then the owner word, ordered, last. The index goes first so
     * that it is never behind an entry the driver can see: the CQ head register refuses a head past it, and a driver
     * on another thread that consumed an entry whose index was not yet out would have its head write refused, leaving
     * the device to see a full queue that the driver has already emptied.
     */
    public void publish()
    {
        if (claimedOffset < 0)
        {
            throw new IllegalStateException("publish without a claimed entry");
        }
        if (producerTail != null)
        {
            producerTail.set(nextSeq + 1);
        }
        final long ownerOffset = claimedOffset + ownerWordOffset;
        if (array != null)
        {
            EntryAccess.writeIntRelease(array, (int)ownerOffset, ring.phaseOf(nextSeq));
        }
        else
        {
            EntryAccess.writeIntRelease(ring.store(), ownerOffset, ring.phaseOf(nextSeq));
        }
        claimedOffset = -1;
        nextSeq++;
    }

    /** @return whether an entry can be claimed now. */
    public boolean hasSpace()
    {
        // The consumer index only grows: space the cached value shows is there; read the register only when not.
        if (nextSeq - headCache < ring.capacity())
        {
            return true;
        }
        headCache = consumerHead.get();
        return nextSeq - headCache < ring.capacity();
    }

    /** @return sequence of the next entry to publish. */
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
