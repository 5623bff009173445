package io.tlsnic.stack.tcp;

/**
 * The bounded send buffer: a byte ring that holds what the application wrote from the oldest unacknowledged data
 * byte ({@link #headSeq()}, SND.UNA for data) up to the write sequence ({@link #tailSeq()}), so that
 * retransmissions read the original bytes. Bytes leave only when acknowledged ({@link #releaseTo(int)}).
 */
final class SendBuffer
{
    private final byte[] ring;
    private int headSeq;
    private int headIndex;
    private int length;

    /**
     * @param capacity bytes the buffer holds.
     * @param firstSeq sequence number of the first data byte (ISS + 1).
     */
    SendBuffer(final int capacity, final int firstSeq)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("send buffer capacity " + capacity + " must be positive");
        }
        ring = new byte[capacity];
        headSeq = firstSeq;
    }

    /** Re-bases an empty buffer; used once the ISS is known. */
    void reset(final int firstSeq)
    {
        headSeq = firstSeq;
        headIndex = 0;
        length = 0;
    }

    int capacity()
    {
        return ring.length;
    }

    int length()
    {
        return length;
    }

    int freeSpace()
    {
        return ring.length - length;
    }

    /** @return sequence number of the oldest byte held. */
    int headSeq()
    {
        return headSeq;
    }

    /** @return sequence number the next appended byte gets. */
    int tailSeq()
    {
        return Seq.add(headSeq, length);
    }

    /**
     * @return the ring index where the next {@code len} appended bytes would go when they fit in the free space in
     *     one run of {@link #array()} (not wrapping round the ring's end), else -1.
     */
    int appendIndex(final int len)
    {
        final int tail = (headIndex + length) % ring.length;
        return len <= freeSpace() && tail + len <= ring.length ? tail : -1;
    }

    /**
     * Appends {@code len} bytes the caller already wrote at {@link #appendIndex(int)}.
     *
     * @param len bytes, at most what {@code appendIndex} allowed.
     */
    void appendInPlace(final int len)
    {
        if (appendIndex(len) < 0)
        {
            throw new IllegalArgumentException(len + " bytes do not fit in one run of the " + freeSpace()
                + " free bytes");
        }
        length += len;
    }

    /** @return bytes accepted, at most {@link #freeSpace()}. */
    int append(final byte[] src, final int offset, final int len)
    {
        final int n = Math.min(len, freeSpace());
        int tail = (headIndex + length) % ring.length;
        int done = 0;
        while (done < n)
        {
            final int run = Math.min(n - done, ring.length - tail);
            System.arraycopy(src, offset + done, ring, tail, run);
            done += run;
            tail = (tail + run) % ring.length;
        }
        length += n;
        return n;
    }

    /**
     * @return the ring index of the held byte at {@code seq} when the {@code len} bytes from it lie in one run of
     *     {@link #array()} (they do not wrap round the ring's end), else -1.
     */
    int contiguousIndex(final int seq, final int len)
    {
        final int rel = Seq.diff(seq, headSeq);
        if (rel < 0 || len < 0 || rel + len > length)
        {
            throw new IllegalArgumentException("send buffer holds seq " + Seq.toUnsigned(headSeq) + " +" + length +
                ", asked seq " + Seq.toUnsigned(seq) + " +" + len);
        }
        final int index = (headIndex + rel) % ring.length;
        return index + len <= ring.length ? index : -1;
    }

    /** @return the ring itself, for a reader lent a run of it ({@link #contiguousIndex}). */
    byte[] array()
    {
        return ring;
    }

    /** Copies {@code len} held bytes starting at sequence {@code seq} into {@code dst}. */
    void copy(final int seq, final byte[] dst, final int dstOffset, final int len)
    {
        final int rel = Seq.diff(seq, headSeq);
        if (rel < 0 || len < 0 || rel + len > length)
        {
            throw new IllegalArgumentException("send buffer holds seq " + Seq.toUnsigned(headSeq) + " +" + length +
                ", asked seq " + Seq.toUnsigned(seq) + " +" + len);
        }
        int index = (headIndex + rel) % ring.length;
        int done = 0;
        while (done < len)
        {
            final int run = Math.min(len - done, ring.length - index);
            System.arraycopy(ring, index, dst, dstOffset + done, run);
            done += run;
            index = (index + run) % ring.length;
        }
    }

    /**
     * Drops bytes before {@code seq}, which the peer acknowledged. A {@code seq} past the tail (an ACK that also
     * covers the FIN) releases everything.
     *
     * @return bytes released.
     */
    int releaseTo(final int seq)
    {
        final int n = Math.max(0, Math.min(Seq.diff(seq, headSeq), length));
        headSeq = Seq.add(headSeq, n);
        headIndex = (headIndex + n) % ring.length;
        length -= n;
        return n;
    }
}
