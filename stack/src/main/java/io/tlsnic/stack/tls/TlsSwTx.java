package io.tlsnic.stack.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;

import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The software TX path of one socket (Linux {@code tls_sw.c}: {@code tls_sw_sendmsg}, {@code tls_push_record},
 * {@code tls_sw_splice_eof}): plaintext accumulates in an open record that closes at the max payload (2^14, or
 * TLS_TX_MAX_PAYLOAD_LEN), at the end of a call without MSG_MORE, or before a control record; each closed record is
 * sealed with {@link RecordCipher} and handed to the transport. Bytes the transport does not take yet stay pending
 * here, in order, and are pushed on {@link #push()} (the transport's onWritable).
 * <p>
 * Send-buffer rule ({@code tls_sw_sendmsg}: {@code sk_stream_memory_free}, then {@code tls_alloc_encrypted_msg} for
 * the whole record): before each record's worth of plaintext is taken, the socket's queued bytes (pending
 * ciphertext plus the open record with its overhead) must be below the transport's free space; then the whole
 * record is reserved, so its encryption always succeeds. When memory is not free the call returns the bytes it
 * already took, or, having taken none, fails with EAGAIN under MSG_DONTWAIT and ENOMEM otherwise (the emulator
 * never blocks); plaintext that earlier MSG_MORE calls buffered stays buffered.
 */
final class TlsSwTx
{
    private final TcpTransport transport;
    private final CryptoInfo info;
    private final RecordCipher cipher;
    private final byte[] openRecord = new byte[RecordProtection.MAX_PLAINTEXT_LENGTH];
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int pendingHeadOffset;
    private long pendingBytes;
    private int openLength;
    private boolean recordOpen;
    private long nextRecordNumber;
    private TlsErrnoException error;
    /** What {@code sendfile} reads the file into, one record's worth at a time (Linux splices page-cache pages). */
    private byte[] sendfileChunk;
    private TlsDeviceTx device;

    TlsSwTx(final TcpTransport transport, final CryptoInfo info)
    {
        this.transport = transport;
        this.info = info;
        this.cipher = new RecordCipher(info.version(), info.cipher(), info.key(), info.salt(), info.iv(), info.recSeq());
        this.nextRecordNumber = info.recSeq();
    }

    /** Carries the pending ciphertext and the open record of {@code old} over to this (rekeyed) path. */
    void takeOver(final TlsSwTx old)
    {
        old.closeRecord(Ktls.RECORD_TYPE_DATA);
        pending.addAll(old.pending);
        pendingHeadOffset = old.pendingHeadOffset;
        pendingBytes = old.pendingBytes;
        old.pending.clear();
        old.pendingBytes = 0;
    }

    /**
     * From now on records are handed to the device in plaintext (tls_device.c) instead of being sealed here.
     *
     * @param offload the device TX state.
     */
    void offloadTo(final TlsDeviceTx offload)
    {
        this.device = offload;
    }

    /** @return the device TX state, or null in software mode. */
    TlsDeviceTx device()
    {
        return device;
    }

    CryptoInfo cryptoInfo()
    {
        return info;
    }

    long nextRecordNumber()
    {
        return nextRecordNumber;
    }

    /** @return the crypto_info iv field as the kernel reports it now ({@code tls_advance_record_sn} moves it). */
    byte[] currentIv()
    {
        return currentIv(info, cipher, nextRecordNumber);
    }

    static byte[] currentIv(final CryptoInfo info, final RecordCipher cipher, final long nextRecordNumber)
    {
        final byte[] iv = info.iv();
        if (info.cipher().explicitNonceLength(info.version()) == 8)
        {
            final long explicit = cipher.explicitNonceFor(nextRecordNumber);
            for (int i = 0; i < 8; i++)
            {
                iv[i] = (byte)(explicit >>> (56 - 8 * i));
            }
        }
        return iv;
    }

    boolean hasOpenRecord()
    {
        return recordOpen;
    }

    long pendingBytes()
    {
        return pendingBytes;
    }

    /**
     * @param b          plaintext.
     * @param off        first byte.
     * @param len        bytes.
     * @param flags      MSG_MORE, MSG_EOR, MSG_DONTWAIT.
     * @param recordType content type from a TLS_SET_RECORD_TYPE cmsg, or -1 without one.
     * @param maxPayload plaintext bytes per record.
     * @return bytes taken.
     */
    int send(final byte[] b, final int off, final int len, final int flags, final int recordType, final int maxPayload)
    {
        final boolean more = (flags & Ktls.MSG_MORE) != 0;
        if (more && (flags & Ktls.MSG_EOR) != 0)
        {
            throw new TlsErrnoException(Errno.EINVAL, "MSG_MORE and MSG_EOR contradict each other");
        }
        if (recordType >= 0)
        {
            // tls_process_cmsg: a TLS_SET_RECORD_TYPE cmsg refuses MSG_MORE and pushes the open record first.
            if (more)
            {
                throw new TlsErrnoException(Errno.EINVAL, "MSG_MORE with a TLS_SET_RECORD_TYPE cmsg (type " +
                    recordType + ")");
            }
            if (recordType > 0xFF)
            {
                throw new TlsErrnoException(Errno.EINVAL, "record type " + recordType + " does not fit a byte");
            }
            requireNoError();
            closeRecord(Ktls.RECORD_TYPE_DATA);
            if (recordType != Ktls.RECORD_TYPE_DATA)
            {
                return sendControl(b, off, len, flags, recordType, maxPayload);
            }
        }
        requireNoError();
        int copied = 0;
        while (copied < len)
        {
            if (!memoryFree(copied, flags, maxPayload))
            {
                return copied;
            }
            final int whole = Math.min(len - copied, maxPayload);
            if (openLength == 0 && (whole == maxPayload || !more && copied + whole == len))
            {
                // A whole record in the caller's buffer: framed (or sealed) from there, no staging copy.
                sealRecord(Ktls.RECORD_TYPE_DATA, b, off + copied, whole);
                copied += whole;
                continue;
            }
            recordOpen = true;
            final int n = Math.min(len - copied, maxPayload - openLength);
            System.arraycopy(b, off + copied, openRecord, openLength, n);
            openLength += n;
            copied += n;
            if (openLength >= maxPayload)
            {
                closeRecord(Ktls.RECORD_TYPE_DATA);
            }
        }
        if (!more)
        {
            closeRecord(Ktls.RECORD_TYPE_DATA);
        }
        return copied;
    }

    /** Sends a file range as data records, full-size except the last ({@code splice} with MSG_MORE, then EOF). */
    long sendfile(final FileChannel channel, final long position, final long count, final int maxPayload)
    {
        requireNoError();
        if (sendfileChunk == null || sendfileChunk.length < maxPayload)
        {
            sendfileChunk = new byte[maxPayload];
        }
        final byte[] chunk = sendfileChunk;
        long sent = 0;
        try
        {
            while (sent < count)
            {
                final int want = (int)Math.min(count - sent, maxPayload - openLength);
                final int read = channel.read(ByteBuffer.wrap(chunk, 0, want), position + sent);
                if (read <= 0)
                {
                    break;
                }
                final int taken;
                try
                {
                    taken = send(chunk, 0, read, Ktls.MSG_MORE, -1, maxPayload);
                }
                catch (final TlsErrnoException e)
                {
                    if (sent > 0)
                    {
                        return sent;
                    }
                    throw e;
                }
                sent += taken;
                if (taken < read)
                {
                    return sent;
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("sendfile read at offset " + (position + sent), e);
        }
        closeRecord(Ktls.RECORD_TYPE_DATA);
        return sent;
    }

    /** Hands pending ciphertext to the transport until it stops taking bytes. */
    void push()
    {
        while (!pending.isEmpty())
        {
            final byte[] head = pending.peekFirst();
            final int n = transport.send(head, pendingHeadOffset, head.length - pendingHeadOffset);
            if (n <= 0)
            {
                return;
            }
            pendingBytes -= n;
            pendingHeadOffset += n;
            if (pendingHeadOffset == head.length)
            {
                pending.pollFirst();
                pendingHeadOffset = 0;
            }
        }
    }

    /** Drops the open record (Linux frees {@code open_rec} on close without sending it). */
    void discardOpenRecord()
    {
        recordOpen = false;
        openLength = 0;
    }

    private int sendControl(
        final byte[] b, final int off, final int len, final int flags, final int recordType, final int maxPayload)
    {
        int copied = 0;
        do
        {
            if (!memoryFree(copied, flags, maxPayload))
            {
                return copied;
            }
            final int n = Math.min(len - copied, maxPayload);
            System.arraycopy(b, off + copied, openRecord, 0, n);
            openLength = n;
            recordOpen = true;
            closeRecord(recordType);
            copied += n;
        }
        while (copied < len);
        return copied;
    }

    private boolean memoryFree(final int copied, final int flags, final int maxPayload)
    {
        final long queued = pendingBytes + (recordOpen ? openLength + RecordProtection.overhead(
            info.version(), info.cipher()) : 0);
        if (queued < transport.sendSpace())
        {
            return true;
        }
        if (copied > 0)
        {
            return false;
        }
        if ((flags & Ktls.MSG_DONTWAIT) != 0)
        {
            // Flow control on a non-blocking socket, the common case: no message to format.
            throw new TlsErrnoException(Errno.EAGAIN, "send buffer full");
        }
        throw new TlsErrnoException(Errno.ENOMEM, "send buffer full: " + queued +
            " bytes queued by TLS (" + openLength + " plaintext in the open record, max " + maxPayload +
            ") against " + transport.sendSpace() + " free in the transport");
    }

    private void closeRecord(final int type)
    {
        if (!recordOpen)
        {
            return;
        }
        recordOpen = false;
        final int length = openLength;
        openLength = 0;
        sealRecord(type, openRecord, 0, length);
    }

    /**
     * Frames one record (offload: the plaintext image for the device; software: sealed) and hands it to TCP: written
     * straight into TCP's send buffer when nothing is pending ahead of it and it fits there in one run, otherwise
     * queued in a buffer of its own.
     */
    private void sealRecord(final int type, final byte[] plaintext, final int offset, final int length)
    {
        final long recordNumber = nextRecordNumber;
        final int sealedLength = cipher.sealedLength(length, 0);
        final long startSeq = (transport.writeSeq() + pendingBytes) & 0xFFFF_FFFFL;
        final int at = pending.isEmpty() ? transport.sendInPlaceIndex(sealedLength) : -1;
        if (at >= 0)
        {
            final byte[] out = transport.sendBufferArray();
            if (device != null)
            {
                device.imageInPlace(cipher, recordNumber, type, plaintext, offset, length, startSeq, out, at);
            }
            else
            {
                cipher.seal(recordNumber, type, plaintext, offset, length, 0, out, at);
            }
            advanceRecordNumber();
            transport.sendInPlace(sealedLength);
            return;
        }
        final byte[] sealed;
        if (device != null)
        {
            sealed = device.image(cipher, recordNumber, type, plaintext, offset, length, startSeq);
        }
        else
        {
            sealed = new byte[sealedLength];
            cipher.seal(recordNumber, type, plaintext, offset, length, 0, sealed, 0);
        }
        pending.addLast(sealed);
        pendingBytes += sealed.length;
        advanceRecordNumber();
        push();
    }

    private void advanceRecordNumber()
    {
        nextRecordNumber++;
        if (nextRecordNumber == 0)
        {
            // tls_advance_record_sn: the 64-bit record number wrapped; the key must not be used again.
            error = new TlsErrnoException(Errno.EBADMSG, "TX record number wrapped past 2^64 - 1 (" +
                (info.version() == TlsVersion.TLS_1_3 ? "KeyUpdate" : "renegotiate") + " before that)");
        }
    }

    private void requireNoError()
    {
        if (error != null)
        {
            throw error;
        }
    }
}
