package io.tlsnic.stack.tls.device;

import io.tlsnic.stack.tls.strp.FramedRecord;

/**
 * Turns one framed, classified record into plaintext, in place in the record's buffer: the content then starts
 * at {@link FramedRecord#payloadOffset()}. The software implementation decrypts everything and refuses device
 * marks; the device implementation (a later stage) skips the crypto for {@link RecordClass#DEVICE} records and,
 * for {@link RecordClass#MIXED} ones, re-encrypts the decrypted parts before a software decrypt (Linux
 * {@code tls_device_reencrypt}). One handler serves one socket direction and is called on its thread.
 */
public interface RxRecordHandler
{
    /**
     * @param record       the whole record, header included; its buffer may be overwritten.
     * @param recordClass  what the device did to it, {@link RecordClass#of}.
     * @param recordNumber the record number (unsigned 64-bit) the record must authenticate under.
     * @return content length (TLS 1.3: inner type and padding stripped).
     * @throws io.tlsnic.wire.tls.TlsErrnoException EBADMSG when authentication fails, EINVAL/EMSGSIZE for a
     *     malformed record.
     */
    int open(FramedRecord record, RecordClass recordClass, long recordNumber);

    /** @return content type of the record the last {@link #open} returned. */
    int lastContentType();

    /** @return TLS 1.3 zero padding bytes of that record (0 for TLS 1.2). */
    int lastPaddingLength();
}
