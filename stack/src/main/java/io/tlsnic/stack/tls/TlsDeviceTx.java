package io.tlsnic.stack.tls;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import io.tlsnic.stack.dev.TlsDeviceOps;
import io.tlsnic.stack.dev.TlsDirection;
import io.tlsnic.stack.dev.TlsTxOffload;
import io.tlsnic.stack.dev.TxRecordRef;
import io.tlsnic.stack.tls.device.TxRecord;
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
    private RecordCipher cipher;
    private long fallbackBytes;

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

    /** @return whether every record handed to the device has been acknowledged (the start marker aside). */
    boolean allRecordsAcked()
    {
        final TxRecord first = records.first();
        return first == null || first.isStartMarker() && records.size() == 1;
    }

    /**
     * Builds the plaintext image of one record in a buffer of its own and remembers it.
     *
     * @param cipher the socket's record cipher (for the TLS 1.2 explicit nonce and the sizes).
     * @param recordNumber record number.
     * @param type content type.
     * @param plaintext content.
     * @param offset its first byte.
     * @param length content length.
     * @param startSeq TCP seq the record will start at.
     * @return the image: header, explicit nonce, plaintext (TLS 1.3: + type), zero tag.
     */
    byte[] image(final RecordCipher cipher, final long recordNumber, final int type, final byte[] plaintext,
        final int offset, final int length, final long startSeq)
    {
        final byte[] image = new byte[cipher.sealedLength(length, 0)];
        write(cipher, recordNumber, type, plaintext, offset, length, image, 0);
        records.append(startSeq, image.length, length, List.of(ByteBuffer.wrap(image)));
        return image;
    }

    /**
     * Builds the plaintext image of one record where TCP will send it from (its send buffer) and remembers it there:
     * the bytes stay in place until the peer acknowledges them, which is when the record is freed.
     *
     * @param cipher the socket's record cipher.
     * @param recordNumber record number.
     * @param type content type.
     * @param plaintext content.
     * @param offset its first byte.
     * @param length content length.
     * @param startSeq TCP seq the record will start at.
     * @param out the send buffer.
     * @param outOffset where the record goes in it.
     * @return the image length.
     */
    int imageInPlace(final RecordCipher cipher, final long recordNumber, final int type, final byte[] plaintext,
        final int offset, final int length, final long startSeq, final byte[] out, final int outOffset)
    {
        final int imageLength = write(cipher, recordNumber, type, plaintext, offset, length, out, outOffset);
        records.append(startSeq, imageLength, length,
            List.of(ByteBuffer.wrap(out, outOffset, imageLength).slice().asReadOnlyBuffer()));
        return imageLength;
    }

    /** Writes header, explicit nonce, plaintext, TLS 1.3 type and a zero tag at {@code out[at]}; returns the length. */
    private int write(final RecordCipher cipher, final long recordNumber, final int type, final byte[] plaintext,
        final int offset, final int length, final byte[] out, final int at)
    {
        this.cipher = cipher;
        final TlsVersion version = info.version();
        final TlsCipher c = info.cipher();
        final int imageLength = cipher.sealedLength(length, 0);
        final int explicit = c.explicitNonceLength(version);
        final int textOffset = at + RecordProtection.HEADER_LENGTH + explicit;
        RecordProtection.writeHeader(out, at, version == TlsVersion.TLS_1_3 ? 23 : type,
            imageLength - RecordProtection.HEADER_LENGTH);
        if (explicit == 8)
        {
            final long nonce = cipher.explicitNonceFor(recordNumber);
            for (int i = 0; i < 8; i++)
            {
                out[at + RecordProtection.HEADER_LENGTH + i] = (byte)(nonce >>> (56 - 8 * i));
            }
        }
        System.arraycopy(plaintext, offset, out, textOffset, length);
        int tag = textOffset + length;
        if (version == TlsVersion.TLS_1_3)
        {
            out[tag++] = (byte)type;
        }
        // The kept fragment is the whole image: a rebuild replays its prefix, a fallback seals it again.
        Arrays.fill(out, tag, at + imageLength, (byte)0);
        return imageLength;
    }

    @Override
    public TxRecordRef recordAt(final long tcpSeq)
    {
        final TxRecord r = records.lookup(tcpSeq & 0xFFFF_FFFFL);
        if (r == null)
        {
            return TxRecordRef.UNAVAILABLE;
        }
        if (r.isStartMarker())
        {
            return new TxRecordRef(TxRecordRef.Kind.BEFORE_OFFLOAD, r.startSeq(), 0, null);
        }
        return new TxRecordRef(TxRecordRef.Kind.IN_RECORD, r.startSeq(), r.recordNumber(), imageOf(r));
    }

    @Override
    public byte[] encryptInSoftware(final long tcpSeq, final int length)
    {
        final byte[] out = new byte[length];
        long seq = tcpSeq & 0xFFFF_FFFFL;
        int done = 0;
        while (done < length)
        {
            final TxRecordRef ref = recordAt(seq);
            if (ref.kind() != TxRecordRef.Kind.IN_RECORD)
            {
                return null;
            }
            final byte[] sealed = seal(ref);
            final int from = (int)((seq - ref.startSeq()) & 0xFFFF_FFFFL);
            final int n = Math.min(length - done, sealed.length - from);
            System.arraycopy(sealed, from, out, done, n);
            done += n;
            seq = (seq + n) & 0xFFFF_FFFFL;
        }
        fallbackBytes += length;
        return out;
    }

    /** @return bytes encrypted by the software fallback. */
    long fallbackBytes()
    {
        return fallbackBytes;
    }

    /** Seals a kept record in software: the bytes the device produced (or would have) for it. */
    private byte[] seal(final TxRecordRef ref)
    {
        final byte[] image = ref.image();
        final int textOffset = RecordProtection.HEADER_LENGTH + info.cipher().explicitNonceLength(info.version());
        final int textLength = image.length - textOffset - TlsCipher.TAG_LENGTH;
        final int type;
        final int contentLength;
        if (info.version() == TlsVersion.TLS_1_3)
        {
            contentLength = textLength - 1; // the image carries no padding
            type = image[textOffset + contentLength] & 0xFF;
        }
        else
        {
            contentLength = textLength;
            type = image[0] & 0xFF;
        }
        final byte[] sealed = new byte[image.length];
        cipher.seal(ref.recordNumber(), type, image, textOffset, contentLength, 0, sealed, 0);
        return sealed;
    }

    private static byte[] imageOf(final TxRecord r)
    {
        final ByteBuffer b = r.fragments().get(0).duplicate();
        final byte[] image = new byte[b.remaining()];
        b.get(image);
        return image;
    }

    /**
     * @param sndUna the new SND.UNA.
     * @return the first seq whose bytes must stay in TCP's send buffer: the start of the record the ACK ends in,
     *     which a retransmission of its rest replays from its start; {@code sndUna} when it ends between records.
     */
    long pinnedFrom(final long sndUna)
    {
        final TxRecord r = records.lookup(sndUna & 0xFFFF_FFFFL);
        return r == null || r.isStartMarker() ? sndUna : r.startSeq();
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
