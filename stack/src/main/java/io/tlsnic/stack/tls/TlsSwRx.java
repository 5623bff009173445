package io.tlsnic.stack.tls;

import java.util.ArrayList;
import java.util.List;

import io.tlsnic.stack.tls.device.RecordClass;
import io.tlsnic.stack.tls.device.RxRecordHandler;
import io.tlsnic.stack.tls.strp.FramedRecord;
import io.tlsnic.stack.tls.strp.RecordFramer;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The RX path of one socket (Linux {@code tls_sw.c}: {@code tls_sw_recvmsg}, {@code tls_rx_one_record},
 * {@code process_rx_list}): frames records from the transport with a {@link RecordFramer}, classifies each by its
 * device marks, has the {@link RxRecordHandler} turn it into plaintext, and hands plaintext to {@code recvmsg}
 * callers. Decrypted records that a call did not finish (short buffer, peek, a record of another type) wait on the
 * rx list, as {@code ctx->rx_list} does.
 * <p>
 * {@code recvmsg} semantics (tls.rst "Receiving", selftests {@code tls.c}):
 * <ul>
 *   <li>a call returns bytes of one content type only, and at most one non-data record; the type is put in the
 *       cmsg; a non-data record without a cmsg buffer is EIO and stays queued;</li>
 *   <li>data records are read back to back into a large buffer; a short buffer leaves the rest of a record;</li>
 *   <li>MSG_PEEK copies without consuming and never crosses into a record of another type;</li>
 *   <li>a zero-length data record delivers nothing and is not EOF; a zero-length control record is returned as
 *       an empty control message (0 bytes, type in the cmsg);</li>
 *   <li>when no whole record is there the call fails with EAGAIN (the emulator never blocks, so a blocking read
 *       behaves as a non-blocking one), or returns 0 once the peer's FIN arrived and nothing is left;</li>
 *   <li>errors are returned after the bytes already copied by the call, and then by every later call: EBADMSG
 *       (authentication, counted TlsDecryptError), EMSGSIZE/EINVAL (framing), EBADMSG after the 64-bit record
 *       number wrapped. Linux reports these through {@code sk_err} and then keeps failing on the same record
 *       (EBADMSG) or stalls (framing); the emulator keeps reporting the error, which is what a reader sees;</li>
 *   <li>TLS 1.3 KeyUpdate: the handshake record whose first byte is key_update (24) is delivered like any
 *       control record; decryption then pauses and every read that needs a new record fails with EKEYEXPIRED
 *       until a new TLS_RX is set (tls.rst "TLS 1.3 Key Updates", {@code tls_check_pending_rekey}); records
 *       already decrypted before it are still delivered. Only TLS 1.3 checks for KeyUpdate.</li>
 *   <li>TLS_RX_EXPECT_NO_PAD: Linux decrypts straight into the user buffer when the record fits the space left
 *       and the call does not peek; a record that then turns out not to be unpadded data is decrypted again
 *       ({@code TlsDecryptRetry}, plus {@code TlsRxNoPadViolation} when it was padded). The emulator decrypts once
 *       into the record's own buffer in every case and counts the same events under the same conditions.</li>
 * </ul>
 */
final class TlsSwRx
{
    private final TcpTransport transport;
    private final TlsCounters counters;
    private final RecordFramer framer;
    private final List<DecryptedRecord> rxList = new ArrayList<>();
    private final ChunkPuller puller = new ChunkPuller();
    private CryptoInfo info;
    private RecordCipher cipher;
    private RxRecordHandler handler;
    private long nextRecordNumber;
    private boolean keyUpdatePending;
    private boolean expectNoPad;
    private TlsErrnoException error;
    private RxRecordObserver observer;

    TlsSwRx(final TcpTransport transport, final CryptoInfo info, final TlsCounters counters)
    {
        this.transport = transport;
        this.counters = counters;
        this.framer = new RecordFramer(info.version(), info.cipher());
        install(info);
    }

    /**
     * Records may now arrive (partly) decrypted by the device: classify them and skip or redo software crypto.
     *
     * @param device the offloaded RX handler.
     */
    void offload(final RxRecordHandler device)
    {
        this.handler = device;
    }

    /** @param observer told of every record opened from now on, or null. */
    void observe(final RxRecordObserver observer)
    {
        this.observer = observer;
    }

    /** @return the record cipher of the current key. */
    RecordCipher cipher()
    {
        return cipher;
    }

    /** Installs a new key (TLS 1.3 rekey): decryption resumes with it from its rec_seq. */
    void install(final CryptoInfo newInfo)
    {
        this.info = newInfo;
        this.cipher = new RecordCipher(
            newInfo.version(), newInfo.cipher(), newInfo.key(), newInfo.salt(), newInfo.iv(), newInfo.recSeq());
        this.handler = new SwRecordHandler(cipher);
        this.nextRecordNumber = newInfo.recSeq();
        this.keyUpdatePending = false;
    }

    CryptoInfo cryptoInfo()
    {
        return info;
    }

    long nextRecordNumber()
    {
        return nextRecordNumber;
    }

    byte[] currentIv()
    {
        return TlsSwTx.currentIv(info, cipher, nextRecordNumber);
    }

    boolean expectNoPad()
    {
        return expectNoPad;
    }

    void expectNoPad(final boolean value)
    {
        expectNoPad = value;
    }

    /** @return whether a KeyUpdate was received and no new key installed yet. */
    boolean keyUpdatePending()
    {
        return keyUpdatePending;
    }

    int recvmsg(final byte[] b, final int off, final int len, final int flags, final RecordTypeCmsg cmsg)
    {
        if (len == 0)
        {
            return 0;
        }
        final boolean peek = (flags & Ktls.MSG_PEEK) != 0;
        int control = -1;
        int copied = 0;
        int index = 0;
        while (true)
        {
            final DecryptedRecord record;
            if (index < rxList.size())
            {
                record = rxList.get(index);
            }
            else
            {
                record = tryNextRecord(peek, len - copied);
                if (record == null)
                {
                    break;
                }
                rxList.add(record);
            }
            if (control < 0)
            {
                if (record.type != Ktls.RECORD_TYPE_DATA && cmsg == null)
                {
                    throw new TlsErrnoException(Errno.EIO, "record of type " + record.type +
                        " (not data) read without a cmsg buffer");
                }
                control = record.type;
                if (cmsg != null)
                {
                    cmsg.set(control);
                }
            }
            else if (record.type != control)
            {
                break;
            }
            final int n = Math.min(len - copied, record.length);
            System.arraycopy(record.buffer, record.offset, b, off + copied, n);
            copied += n;
            if (peek)
            {
                index++;
            }
            else
            {
                record.offset += n;
                record.length -= n;
                if (record.length == 0)
                {
                    rxList.remove(index);
                }
            }
            if (copied == 0 && record.type == Ktls.RECORD_TYPE_DATA)
            {
                // Only empty data records so far: they deliver nothing, so the next record is still the first.
                control = -1;
                if (cmsg != null)
                {
                    cmsg.clear();
                }
                continue;
            }
            // "return full control message to userspace before trying to parse another message type"
            if (control != Ktls.RECORD_TYPE_DATA || copied == len)
            {
                break;
            }
        }
        if (copied == 0 && (control < 0 || control == Ktls.RECORD_TYPE_DATA))
        {
            return nothingToRead();
        }
        return copied;
    }

    private int nothingToRead()
    {
        if (error != null)
        {
            throw error;
        }
        if (keyUpdatePending)
        {
            throw new TlsErrnoException(Errno.EKEYEXPIRED,
                "a KeyUpdate was received; set the new TLS_RX key before reading on");
        }
        if (transport.finReceived() && transport.readableBytes() == 0 && rxList.isEmpty())
        {
            return 0;
        }
        throw new TlsErrnoException(Errno.EAGAIN, "no whole record to read (" + transport.readableBytes() +
            " bytes in TCP" + (framer.hasPartialRecord() ? ", a record partly framed" : "") + ")");
    }

    /**
     * Frames and opens the next record. Returns {@code null} when no whole record is there or the stream is stopped
     * (error, pending KeyUpdate); a new error is kept in {@link #error} and reported once nothing else is left to
     * return, by {@link #nothingToRead()}.
     */
    private DecryptedRecord tryNextRecord(final boolean peek, final int space)
    {
        if (error != null || keyUpdatePending)
        {
            return null;
        }
        final FramedRecord framed = frame();
        if (framed == null)
        {
            if (framer.error() != null)
            {
                error = framer.error();
                counters.increment(TlsStat.TLS_RX_FRAMING_ERROR);
            }
            return null;
        }
        final RecordClass recordClass = RecordClass.of(framed);
        counters.increment(recordClass == RecordClass.DEVICE ? TlsStat.TLS_RX_RECORD_DEVICE
            : recordClass == RecordClass.MIXED ? TlsStat.TLS_RX_RECORD_MIXED : TlsStat.TLS_RX_RECORD_SW);
        final int length;
        try
        {
            length = handler.open(framed, recordClass, nextRecordNumber);
        }
        catch (final TlsErrnoException e)
        {
            if (e.errno() == Errno.EBADMSG)
            {
                counters.increment(TlsStat.TLS_DECRYPT_ERROR);
            }
            error = e;
            return null;
        }
        final int type = handler.lastContentType();
        countNoPad(framed, type, peek, space);
        final long number = nextRecordNumber;
        nextRecordNumber++;
        if (nextRecordNumber == 0)
        {
            error = new TlsErrnoException(Errno.EBADMSG, "RX record number wrapped past 2^64 - 1");
        }
        if (info.version() == TlsVersion.TLS_1_3 && type == Ktls.RECORD_TYPE_HANDSHAKE && length >= 1 &&
            framed.bytes()[framed.payloadOffset()] == Ktls.HANDSHAKE_KEY_UPDATE)
        {
            keyUpdatePending = true;
            counters.increment(TlsStat.TLS_RX_REKEY_RECEIVED);
        }
        if (observer != null)
        {
            observer.onRecord(framed.tcpSeq(), number, recordClass, type, framed.bytes(), framed.payloadOffset(), length,
                handler.lastPaddingLength());
        }
        return new DecryptedRecord(type, framed.bytes(), framed.payloadOffset(), length);
    }

    private void countNoPad(final FramedRecord framed, final int type, final boolean peek, final int space)
    {
        if (!expectNoPad || info.version() != TlsVersion.TLS_1_3 || peek)
        {
            return;
        }
        final int maxContent = framed.bodyLength() - TlsCipher.TAG_LENGTH - 1;
        if (maxContent > space)
        {
            return;
        }
        final boolean padded = handler.lastPaddingLength() > 0;
        if (padded || type != Ktls.RECORD_TYPE_DATA)
        {
            if (padded)
            {
                counters.increment(TlsStat.TLS_RX_NO_PAD_VIOLATION);
            }
            counters.increment(TlsStat.TLS_DECRYPT_RETRY);
        }
    }

    private FramedRecord frame()
    {
        while (framer.bytesWanted() > 0 && transport.readableBytes() > 0)
        {
            puller.pulled = 0;
            puller.wanted = framer.bytesWanted();
            transport.forEachReadableChunk(puller);
            transport.consume(puller.pulled);
        }
        return framer.take();
    }

    /** Copies chunk bytes into the framer, up to what the current record still needs. */
    private final class ChunkPuller implements TcpTransport.ChunkVisitor
    {
        int wanted;
        int pulled;

        @Override
        public boolean onChunk(final long seq, final byte[] buffer, final int offset, final int length, final int mark)
        {
            final int n = Math.min(length, wanted - pulled);
            framer.append(seq, buffer, offset, n, mark);
            pulled += n;
            return pulled < wanted;
        }
    }

    /** Plaintext of one record on the rx list; {@code offset}/{@code length} shrink as it is read. */
    private static final class DecryptedRecord
    {
        final int type;
        final byte[] buffer;
        int offset;
        int length;

        DecryptedRecord(final int type, final byte[] buffer, final int offset, final int length)
        {
            this.type = type;
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
        }
    }
}
