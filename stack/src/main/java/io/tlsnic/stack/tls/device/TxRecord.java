package io.tlsnic.stack.tls.device;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One TLS record of the TX record list (Linux {@code struct tls_record_info}): where it sits in the TCP stream,
 * its record number, and references to its plaintext so that a retransmission can be re-encrypted or replayed
 * through the device. A record covers {@code [startSeq, endSeq)}; the start marker is empty
 * ({@code startSeq == endSeq}) and carries no fragments.
 */
public final class TxRecord
{
    private final long startSeq;
    private final long endSeq;
    private final long recordNumber;
    private final int plaintextLength;
    private final List<ByteBuffer> fragments;
    private final boolean startMarker;

    TxRecord(
        final long startSeq, final long endSeq, final long recordNumber, final int plaintextLength,
        final List<ByteBuffer> fragments, final boolean startMarker)
    {
        this.startSeq = startSeq;
        this.endSeq = endSeq;
        this.recordNumber = recordNumber;
        this.plaintextLength = plaintextLength;
        this.fragments = fragments;
        this.startMarker = startMarker;
    }

    /** @return TCP seq of the first byte of the record header. */
    public long startSeq()
    {
        return startSeq;
    }

    /** @return TCP seq one past the last byte of the tag. */
    public long endSeq()
    {
        return endSeq;
    }

    /** @return bytes the record occupies on the wire (header to tag), 0 for the start marker. */
    public int wireLength()
    {
        return (int)((endSeq - startSeq) & TcpSeq.MASK);
    }

    /** @return the TLS record number, unsigned 64-bit (the start marker holds the number before the first record). */
    public long recordNumber()
    {
        return recordNumber;
    }

    /** @return plaintext bytes of the record (content only). */
    public int plaintextLength()
    {
        return plaintextLength;
    }

    /** @return read-only views of the plaintext, in order (empty for the start marker). */
    public List<ByteBuffer> fragments()
    {
        return fragments;
    }

    /** @return whether this is the zero-length marker inserted at install ({@code tls_record_is_start_marker}). */
    public boolean isStartMarker()
    {
        return startMarker;
    }

    @Override
    public String toString()
    {
        return (startMarker ? "StartMarker{" : "TxRecord{") + "seq=[" + startSeq + ", " + endSeq + "), record=" +
            Long.toUnsignedString(recordNumber) + ", plaintext=" + plaintextLength + '}';
    }
}
