package io.tlsnic.stack.tls;

import io.tlsnic.stack.tls.device.RecordClass;
import io.tlsnic.stack.tls.device.RxRecordHandler;
import io.tlsnic.stack.tls.strp.FramedRecord;

/**
 * The RX record handler after a rekey of an offloaded direction ({@link KtlsSocket#setDeviceRekey}): the device
 * context (old key) is deleted and records are decrypted in software with the new key. Any bytes of these records
 * the device had processed before the delete took effect were transformed with the old context's keystream, at the
 * record numbers the old context went on counting (the old next number + the new number): that keystream is
 * re-applied first (CTR is its own inverse), so the record is all ciphertext again, and the software tag check
 * covers every byte as for any record.
 */
final class RekeyedRecordHandler implements RxRecordHandler
{
    private final DeviceRecordHandler oldContext;
    private final long oldContextBase;
    private final SwRecordHandler software;

    RekeyedRecordHandler(final DeviceRecordHandler oldContext, final long oldContextBase,
        final SwRecordHandler software)
    {
        this.oldContext = oldContext;
        this.oldContextBase = oldContextBase;
        this.software = software;
    }

    @Override
    public int open(final FramedRecord record, final RecordClass recordClass, final long recordNumber)
    {
        if (recordClass != RecordClass.SOFTWARE)
        {
            oldContext.reencrypt(record, oldContextBase + recordNumber);
        }
        return software.open(record, RecordClass.SOFTWARE, recordNumber);
    }

    @Override
    public int lastContentType()
    {
        return software.lastContentType();
    }

    @Override
    public int lastPaddingLength()
    {
        return software.lastPaddingLength();
    }
}
