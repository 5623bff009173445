package io.tlsnic.harness.replay;

/** What a {@link RecordReceiver} reports, record by record, in stream order. */
public interface RecordListener
{
    /**
     * A record was opened. For a TLS 1.3 KeyUpdate (handshake type 24) the listener answers, before returning, with
     * {@link RecordReceiver#rekey} when it has the next key, as a TLS library answers EKEYEXPIRED with a new TLS_RX.
     *
     * @param record the record.
     */
    void onRecord(ReceivedRecord record);

    /**
     * A record the capture lacks bytes of.
     *
     * @param tcpSeq       sequence number of its header (or of the first missing byte when its header is lost).
     * @param recordLength header plus body length when known, else -1.
     * @param reason       what is missing.
     */
    void onIncomplete(long tcpSeq, int recordLength, String reason);

    /**
     * A record that could not be opened (EBADMSG, EMSGSIZE, EKEYEXPIRED ...); kTLS errors are sticky, so nothing
     * after it is delivered.
     *
     * @param tcpSeq       sequence number of its header.
     * @param recordNumber its record number.
     * @param reason       one line, with the errno name.
     */
    void onError(long tcpSeq, long recordNumber, String reason);
}
