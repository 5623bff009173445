package io.tlsnic.stack.tls.device;

import io.tlsnic.stack.tls.strp.FramedRecord;

/**
 * What the device did to one received record, from the marks of the chunks its bytes came in
 * (tls-offload.rst "RX": the stack never merges decrypted and non-decrypted packets; Linux
 * {@code tls_device_decrypted}/{@code tls_strp_msg_cow}; OFFLOAD-CONTRACT §5).
 * A chunk marked {@code MARK_DECRYPT_FAILED} was delivered unmodified, so it counts as not decrypted.
 */
public enum RecordClass
{
    /** Every byte was decrypted and authenticated by the device: no software crypto. */
    DEVICE,
    /** No byte was decrypted by the device: software decrypt. */
    SOFTWARE,
    /** Some bytes were decrypted: re-apply the keystream to those parts, then software decrypt the whole record. */
    MIXED;

    /** Same value as {@code TcpTransport.MARK_DECRYPTED}, the only mark that means plaintext. */
    static final int MARK_DECRYPTED = 1;

    /**
     * @param record a framed record with its mark runs.
     * @return its class.
     */
    public static RecordClass of(final FramedRecord record)
    {
        boolean anyDecrypted = false;
        boolean anyEncrypted = false;
        for (int i = 0; i < record.markRunCount(); i++)
        {
            if (record.markRunValue(i) == MARK_DECRYPTED)
            {
                anyDecrypted = true;
            }
            else
            {
                anyEncrypted = true;
            }
        }
        return anyDecrypted ? (anyEncrypted ? MIXED : DEVICE) : SOFTWARE;
    }
}
