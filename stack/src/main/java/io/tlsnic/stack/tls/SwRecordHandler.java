package io.tlsnic.stack.tls;

import io.tlsnic.stack.tls.device.RecordClass;
import io.tlsnic.stack.tls.device.RxRecordHandler;
import io.tlsnic.stack.tls.strp.FramedRecord;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The software {@link RxRecordHandler}: decrypts and authenticates every record in place with {@link RecordCipher}
 * (Linux {@code tls_decrypt_sw}). A socket with no RX offload must never see device-decrypted bytes, so a
 * {@link RecordClass#DEVICE} or {@link RecordClass#MIXED} record is a broken transport or driver and is refused
 * with {@link IllegalStateException}; the device handler of the offload stage replaces this one.
 */
final class SwRecordHandler implements RxRecordHandler
{
    private final RecordCipher cipher;
    private int lastContentType = -1;
    private int lastPaddingLength;

    SwRecordHandler(final RecordCipher cipher)
    {
        this.cipher = cipher;
    }

    @Override
    public int open(final FramedRecord record, final RecordClass recordClass, final long recordNumber)
    {
        if (recordClass != RecordClass.SOFTWARE)
        {
            throw new IllegalStateException("record at tcp seq " + record.tcpSeq() + " is " + recordClass +
                "-decrypted but this socket has no RX offload: the transport marked bytes it must not mark");
        }
        lastContentType = -1;
        final byte[] bytes = record.bytes();
        final int contentLength = cipher.open(recordNumber, bytes, 0, bytes.length, bytes, record.payloadOffset());
        lastContentType = cipher.lastContentType();
        final int innerLength = record.length() - record.payloadOffset() - TlsCipher.TAG_LENGTH;
        lastPaddingLength = cipher.version() == TlsVersion.TLS_1_3 ? innerLength - contentLength - 1 : 0;
        return contentLength;
    }

    @Override
    public int lastContentType()
    {
        return lastContentType;
    }

    @Override
    public int lastPaddingLength()
    {
        return lastPaddingLength;
    }
}
