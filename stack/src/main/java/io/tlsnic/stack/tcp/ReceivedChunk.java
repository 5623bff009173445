package io.tlsnic.stack.tcp;

/**
 * A run of received payload bytes that arrived in one segment, so that all of them carry the same device mark.
 * It refers to the segment's payload array without copying; trimming moves {@link #seq} and {@link #offset}.
 */
final class ReceivedChunk
{
    int seq;
    final byte[] data;
    int offset;
    int length;
    final int mark;

    ReceivedChunk(final int seq, final byte[] data, final int offset, final int length, final int mark)
    {
        this.seq = seq;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.mark = mark;
    }

    int endSeq()
    {
        return Seq.add(seq, length);
    }

    /** Drops the first {@code n} bytes. */
    void trimFront(final int n)
    {
        seq = Seq.add(seq, n);
        offset += n;
        length -= n;
    }
}
