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
 *   <li>when no whole record is there the call fails with EAGAIN, or returns 0 once the peer's FIN arrived and
 *       no decrypted byte is left (also when a truncated record is left in TCP: {@code tls_rx_rec_wait} returns on
 *       RCV_SHUTDOWN);</li>
 *   <li>low-water mark (SO_RCVLOWAT, MSG_WAITALL): Linux computes {@code target = sock_rcvlowat(sk,
 *       flags & MSG_WAITALL, len)} (the whole {@code len} under MSG_WAITALL, else {@code min(sk_rcvlowat, len)},
 *       at least 1) and loops {@code while (len && (copied < target || tls_strp_msg_ready(ctx)))}: a whole record
 *       that is ready is always taken while there is room, even past the target; below the target the call waits
 *       for the next record. A non-blocking call (MSG_DONTWAIT) does not wait ({@code tls_rx_rec_wait} gives
 *       -EAGAIN) and returns what it copied, or EAGAIN when that is nothing, so the target changes nothing for it.
 *       The emulator cannot sleep, so a blocking call whose target is above 1 first looks ahead without consuming:
 *       when the records there would give fewer than {@code target} bytes and nothing else ends the call, it fails
 *       with EAGAIN and consumes nothing, meaning "Linux would still be asleep"; the caller retries once more bytes
 *       arrived and gets exactly what the woken Linux call returns. What ends a call below its target, as in
 *       Linux: a control record (returned alone), a record of another type after data (left queued), a pending
 *       error (reported by the next call), a pending KeyUpdate, and the peer's FIN. MSG_PEEK | MSG_WAITALL waits
 *       the same way. A blocking call with target 1 behaves as a non-blocking one;</li>
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
    private RxResyncResponder resync;
    private Stop stop;
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
    void offload(final RxRecordHandler device, final RxResyncResponder responder)
    {
        this.handler = device;
        this.resync = responder;
    }

    /** @return the current record handler. */
    RxRecordHandler handler()
    {
        return handler;
    }

    /** @return the resync helper of an offloaded socket, or null. */
    RxResyncResponder resync()
    {
        return resync;
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

    /**
     * One {@code recvmsg} call.
     *
     * @param rcvLowat the socket's SO_RCVLOWAT (at least 1).
     * @return bytes copied; 0 at EOF or for an empty control record.
     */
    int recvmsg(
        final byte[] b, final int off, final int len, final int flags, final RecordTypeCmsg cmsg, final int rcvLowat)
    {
        if (len == 0)
        {
            return 0;
        }
        final boolean peek = (flags & Ktls.MSG_PEEK) != 0;
        final int target = target(flags, len, rcvLowat);
        if ((flags & Ktls.MSG_DONTWAIT) == 0 && target > 1)
        {
            // A blocking call below its target would sleep in Linux: find out first, without consuming anything.
            final int wouldCopy = copy(b, off, len, false, peek, cmsg);
            if (wouldCopy < target && stop == Stop.NO_RECORD && !callEnds())
            {
                if (cmsg != null)
                {
                    cmsg.clear();
                }
                throw new TlsErrnoException(Errno.EAGAIN, "a blocking recv would wait: " + wouldCopy + " of " +
                    target + " bytes (" + ((flags & Ktls.MSG_WAITALL) != 0 ? "MSG_WAITALL" : "SO_RCVLOWAT") +
                    ") in whole records");
            }
            if (peek)
            {
                return wouldCopy > 0 || stop == Stop.RECORD_END ? wouldCopy : nothingToRead();
            }
        }
        final int copied = copy(b, off, len, !peek, peek, cmsg);
        if (copied == 0 && stop != Stop.RECORD_END)
        {
            return nothingToRead();
        }
        return copied;
    }

    /**
     * {@code sock_rcvlowat(sk, flags & MSG_WAITALL, len)}: the whole buffer under MSG_WAITALL, else SO_RCVLOWAT
     * capped at the buffer; at least 1.
     */
    static int target(final int flags, final int len, final int rcvLowat)
    {
        final int v = (flags & Ktls.MSG_WAITALL) != 0 ? len : Math.min(rcvLowat, len);
        return Math.max(v, 1);
    }

    /** Why the last {@link #copy} stopped. */
    private enum Stop
    {
        /** The buffer is full. */
        FULL,
        /** A control record was returned, or the next record has another type: the call ends here. */
        RECORD_END,
        /** No further whole record (or the stream is stopped by an error, a KeyUpdate or EOF). */
        NO_RECORD
    }

    /**
     * @return whether something other than missing bytes ends a call that found no further record: a pending
     *         error, a pending KeyUpdate, or the peer's FIN ({@code tls_rx_rec_wait} returns instead of sleeping).
     */
    private boolean callEnds()
    {
        return error != null || keyUpdatePending || transport.finReceived();
    }

    /**
     * The copy loop of {@code tls_sw_recvmsg} (rx list first, then new records): copies while there is room and a
     * whole record of the call's type is there. Sets {@link #stop}.
     *
     * @param consume    take the bytes off the rx list (false for MSG_PEEK and for a blocking call's look-ahead).
     * @param callIsPeek the caller's MSG_PEEK, for the zero-copy (TLS_RX_EXPECT_NO_PAD) accounting of new records.
     * @return bytes copied.
     */
    private int copy(
        final byte[] b, final int off, final int len, final boolean consume, final boolean callIsPeek,
        final RecordTypeCmsg cmsg)
    {
        if (cmsg != null)
        {
            cmsg.clear();
        }
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
                record = tryNextRecord(callIsPeek, len - copied);
                if (record == null)
                {
                    stop = Stop.NO_RECORD;
                    return copied;
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
                stop = Stop.RECORD_END;
                return copied;
            }
            final int n = Math.min(len - copied, record.length);
            System.arraycopy(record.buffer, record.offset, b, off + copied, n);
            copied += n;
            if (!consume)
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
                    framer.recycle(record.buffer); // read to its end: nothing refers to it any more
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
            if (control != Ktls.RECORD_TYPE_DATA)
            {
                stop = Stop.RECORD_END;
                return copied;
            }
            if (copied == len)
            {
                stop = Stop.FULL;
                return copied;
            }
        }
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
        if (transport.finReceived() && rxList.isEmpty())
        {
            // tls_rx_rec_wait: RCV_SHUTDOWN ends the wait, also with a truncated record left in TCP.
            return 0;
        }
        // Flow control on a non-blocking socket, the common case: a constant message, nothing to format.
        throw new TlsErrnoException(Errno.EAGAIN, framer.hasPartialRecord() ? "no whole record to read (a record"
            + " partly framed)" : "no whole record to read");
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
        if (resync != null)
        {
            resync.onRecord(framed.tcpSeq(), framed.length(), nextRecordNumber, recordClass,
                transport.readableBytes() == 0 && !framer.hasPartialRecord());
        }
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
