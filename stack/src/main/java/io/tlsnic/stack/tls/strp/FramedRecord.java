package io.tlsnic.stack.tls.strp;

import io.tlsnic.wire.crypto.RecordProtection;

/**
 * One whole TLS record as framed from the TCP stream, header included, with the device marks of the byte ranges
 * it was received in (run-length: run {@code i} covers {@code [markRunEnd(i - 1), markRunEnd(i))} with mark
 * {@code markRunValue(i)}). The buffer is the record's own: a record handler may decrypt into it in place.
 *
 * <pre>
 *   0      1      3         5             payloadOffset                         length
 *   +------+------+---------+-------------+----------------------------------+----------+
 *   | type | 0303 | bodyLen | explicit IV | ciphertext (TLS 1.3: + type/pad)  | tag (16) |
 *   +------+------+---------+-------------+----------------------------------+----------+
 * </pre>
 */
public final class FramedRecord
{
    private final long tcpSeq;
    private final byte[] bytes;
    private final int payloadOffset;
    private final int[] markRunEnds;
    private final int[] markRunValues;

    FramedRecord(
        final long tcpSeq, final byte[] bytes, final int payloadOffset, final int[] markRunEnds,
        final int[] markRunValues)
    {
        this.tcpSeq = tcpSeq;
        this.bytes = bytes;
        this.payloadOffset = payloadOffset;
        this.markRunEnds = markRunEnds;
        this.markRunValues = markRunValues;
    }

    /** @return TCP seq of the first header byte. */
    public long tcpSeq()
    {
        return tcpSeq;
    }

    /** @return the record bytes, header to tag; exactly {@link #length()} long. */
    public byte[] bytes()
    {
        return bytes;
    }

    /** @return header + body length. */
    public int length()
    {
        return bytes.length;
    }

    /** @return the outer content type from the header (always 23 for TLS 1.3). */
    public int outerContentType()
    {
        return bytes[0] & 0xFF;
    }

    /** @return the header's length field. */
    public int bodyLength()
    {
        return bytes.length - RecordProtection.HEADER_LENGTH;
    }

    /** @return offset of the first ciphertext (after decryption: content) byte: header + explicit nonce. */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /** @return number of mark runs, at least 1. */
    public int markRunCount()
    {
        return markRunEnds.length;
    }

    /**
     * @param run run index.
     * @return record offset one past the run's last byte.
     */
    public int markRunEnd(final int run)
    {
        return markRunEnds[run];
    }

    /**
     * @param run run index.
     * @return the device mark of the run's bytes.
     */
    public int markRunValue(final int run)
    {
        return markRunValues[run];
    }

    @Override
    public String toString()
    {
        return "FramedRecord{tcpSeq=" + tcpSeq + ", type=" + outerContentType() + ", length=" + length() +
            ", markRuns=" + markRunEnds.length + '}';
    }
}
