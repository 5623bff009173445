package io.tlsnic.harness.inspect;

/**
 * A TLS record of one direction's stream, as framed from the reassembled bytes.
 *
 * @param start         stream offset of its header.
 * @param length        header plus body length in bytes, or -1 when the capture lacks its header.
 * @param contentType   header byte 0, or -1 when unknown.
 * @param complete      whether the capture holds every byte of it.
 * @param aeadProtected whether its last 16 bytes are an AEAD tag (see {@link RecordLog}).
 */
record FramedRecord(long start, int length, int contentType, boolean complete, boolean aeadProtected)
{
    /** @return stream offset after the record, or -1 when its length is unknown. */
    public long end()
    {
        return length < 0 ? -1 : start + length;
    }
}
