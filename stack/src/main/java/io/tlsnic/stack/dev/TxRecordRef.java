package io.tlsnic.stack.dev;

/**
 * Where a TCP seq of an offloaded TX stream falls, as a driver needs to know when a segment is not the one the
 * device expects (Linux {@code tls_get_record}).
 *
 * @param kind what the seq is.
 * @param startSeq IN_RECORD: the record's first TCP seq; BEFORE_OFFLOAD: the start marker's seq.
 * @param recordNumber IN_RECORD: the record's number.
 * @param image IN_RECORD: the record as handed to the device (header, explicit nonce, plaintext, empty tag).
 */
public record TxRecordRef(Kind kind, long startSeq, long recordNumber, byte[] image)
{
    /** What a seq is. */
    public enum Kind
    {
        /** Inside a record still kept (not yet ACKed). */
        IN_RECORD,
        /** Before offload started (bytes the stack sent itself): they go out unmodified. */
        BEFORE_OFFLOAD,
        /** In a record already ACKed and freed, or not yet written: nothing to rebuild from. */
        UNAVAILABLE
    }

    /** The seq is not available. */
    public static final TxRecordRef UNAVAILABLE = new TxRecordRef(Kind.UNAVAILABLE, 0, 0, null);

    /** @return the record's end seq (IN_RECORD). */
    public long endSeq()
    {
        return (startSeq + image.length) & 0xFFFF_FFFFL;
    }
}
