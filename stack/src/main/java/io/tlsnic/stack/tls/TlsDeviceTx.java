package io.tlsnic.stack.tls;

import java.nio.ByteBuffer;
import java.util.List;

import io.tlsnic.stack.dev.TlsDeviceOps;
import io.tlsnic.stack.dev.TlsDirection;
import io.tlsnic.stack.dev.TlsTxOffload;
import io.tlsnic.stack.tls.device.TxRecordList;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The TX side of an offloaded socket (Linux {@code net/tls/tls_device.c}): records are framed exactly as software
 * would frame them, but left in plaintext with an empty 16-byte tag for the device to encrypt and fill in. Each
 * record is remembered in the {@link TxRecordList} (start marker at install) until TCP has it ACKed, so that a
 * retransmission can be mapped back to its record. Packets of the connection carry this object to the driver.
 */
final class TlsDeviceTx implements TlsTxOffload
{
    private final TlsDeviceOps ops;
    private final int handle;
    private final CryptoInfo info;
    private final TxRecordList records;

    /**
     * @param ops the device.
     * @param handle what {@code add} returned.
     * @param info the context's keys (the explicit nonce follows them).
     * @param writeSeq the socket's write seq at install (the start marker).
     */
    TlsDeviceTx(final TlsDeviceOps ops, final int handle, final CryptoInfo info, final long writeSeq)
    {
        this.ops = ops;
        this.handle = handle;
        this.info = info;
        this.records = new TxRecordList(writeSeq, info.recSeq());
    }

    @Override
    public int deviceHandle()
    {
        return handle;
    }

    /** @return records not yet ACKed. */
    TxRecordList records()
    {
        return records;
    }

    /**
     * Builds the plaintext image of one record and remembers it.
     *
     * @param cipher the socket's record cipher (for the TLS 1.2 explicit nonce and the sizes).
     * @param recordNumber record number.
     * @param type content type.
     * @param plaintext content.
     * @param length content length.
     * @param startSeq TCP seq the record will start at.
     * @return the image: header, explicit nonce, plaintext (TLS 1.3: + type), zero tag.
     */
    byte[] image(final RecordCipher cipher, final long recordNumber, final int type, final byte[] plaintext,
        final int length, final long startSeq)
    {
        final TlsVersion version = info.version();
        final TlsCipher c = info.cipher();
        final byte[] image = new byte[cipher.sealedLength(length, 0)];
        final int explicit = c.explicitNonceLength(version);
        final int textOffset = RecordProtection.HEADER_LENGTH + explicit;
        RecordProtection.writeHeader(image, 0, version == TlsVersion.TLS_1_3 ? 23 : type,
            image.length - RecordProtection.HEADER_LENGTH);
        if (explicit == 8)
        {
            final long nonce = cipher.explicitNonceFor(recordNumber);
            for (int i = 0; i < 8; i++)
            {
                image[RecordProtection.HEADER_LENGTH + i] = (byte)(nonce >>> (56 - 8 * i));
            }
        }
        System.arraycopy(plaintext, 0, image, textOffset, length);
        if (version == TlsVersion.TLS_1_3)
        {
            image[textOffset + length] = (byte)type;
        }
        records.append(startSeq, image.length, length, List.of(ByteBuffer.wrap(plaintext, 0, length).slice()));
        return image;
    }

    /** TCP acknowledged up to {@code sndUna}: records wholly before it are freed. */
    void onAckAdvanced(final long sndUna)
    {
        records.onAckAdvanced(sndUna);
    }

    /** Removes the device context. */
    void delete()
    {
        ops.del(TlsDirection.TX, handle);
    }
}
