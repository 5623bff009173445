package io.tlsnic.nic.ring;

import net.openhft.chronicle.bytes.BytesStore;

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
    private final BytesStore<?, ?> store;
    /** The ring's heap array, or {@code null} for direct memory. */
    private final byte[] array;
    private long nextSeq;
    /** Offset of entry {@link #nextSeq}. */
    private long nextOffset;
    /** Owner phase that marks entry {@link #nextSeq} published. */
    private int nextPhase;

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
        this.store = ring.store();
        this.array = EntryAccess.arrayOf(store);
        this.nextSeq = head.get();
        this.nextOffset = ring.entryOffset(nextSeq);
        this.nextPhase = ring.phaseOf(nextSeq);
    }

    /** @return offset of the next published entry, or -1 when the device has not published it yet. */
    public long peek()
    {
        // Polled on every NAPI pass, mostly finding nothing: the entry's offset and phase are kept, not recomputed.
        final long ownerOffset = nextOffset + ownerWordOffset;
        final int owner = array != null
            ? EntryAccess.readIntAcquire(array, (int)ownerOffset)
            : EntryAccess.readIntAcquire(store, ownerOffset);
        return (owner & 1) == nextPhase ? nextOffset : -1;
    }

    /** Consumes the entry {@link #peek()} returned. */
    public void advance()
    {
        nextSeq++;
        nextOffset = ring.entryOffset(nextSeq);
        nextPhase = ring.phaseOf(nextSeq);
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
