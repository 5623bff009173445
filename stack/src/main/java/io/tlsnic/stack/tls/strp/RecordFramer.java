package io.tlsnic.stack.tls.strp;

import java.util.Arrays;

import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Frames TLS records out of the TCP byte stream of one RX direction (Linux {@code tls_strp.c} with the size
 * check of {@code tls_rx_msg_size} in {@code tls_sw.c}). The caller asks {@link #bytesWanted()}, feeds at most that
 * many bytes with {@link #append}, and takes a record with {@link #take()} once one is complete; the framer never
 * takes more than the current record needs, so bytes after it stay in TCP (receive-window back-pressure, as the
 * strparser leaves them in {@code sk_receive_queue}).
 * <p>
 * Header checks, in the kernel's order, on the 5 header bytes as soon as they are all there:
 * <ul>
 *   <li>length field above {@code 2^14 + cipher overhead (+1 TLS 1.3 type byte)}: EMSGSIZE. This is Linux's
 *       bound ({@code TLS_MAX_PAYLOAD_SIZE + cipher_overhead + prot->tail_size}), stricter than RFC 8446's
 *       {@code 2^14 + 256}: kTLS never accepts padding beyond it.</li>
 *   <li>length field below the cipher overhead (+1 for TLS 1.3): EMSGSIZE, as OFFLOAD-CONTRACT §1 says (mainline
 *       Linux reports EBADMSG for this case; the contract's errno is kept so that every bad length reads the
 *       same).</li>
 *   <li>legacy version other than 0x0303: EINVAL.</li>
 * </ul>
 * A framing error is final: the stream cannot be re-synchronised, so {@link #error()} stays set and
 * {@link #bytesWanted()} stays 0. Records framed before the bad header are still taken normally.
 */
public final class RecordFramer
{
    /** Most record arrays kept for reuse: a bulk flow's full records all have one length. */
    private static final int FREE_LIMIT = 4;

    private final int explicitNonceLength;
    private final int minBodyLength;
    private final int maxBodyLength;
    private final byte[] header = new byte[RecordProtection.HEADER_LENGTH];
    private int headerFilled;
    private byte[] record;
    private int filled;
    private long recordSeq = -1;
    private long expectedSeq = -1;
    private int[] runEnds = new int[4];
    private int[] runValues = new int[4];
    private int runs;
    private FramedRecord ready;
    private TlsErrnoException error;
    /** Record arrays handed back by the socket once read, reused for records of the same length. */
    private final byte[][] free = new byte[FREE_LIMIT][];
    private int freeCount;

    /**
     * @param version TLS version of the direction.
     * @param cipher  its cipher (fixes the overhead, and so the length bounds).
     */
    public RecordFramer(final TlsVersion version, final TlsCipher cipher)
    {
        final int tail = version == TlsVersion.TLS_1_3 ? 1 : 0;
        this.explicitNonceLength = cipher.explicitNonceLength(version);
        this.minBodyLength = explicitNonceLength + TlsCipher.TAG_LENGTH + tail;
        this.maxBodyLength = RecordProtection.MAX_PLAINTEXT_LENGTH + explicitNonceLength + TlsCipher.TAG_LENGTH + tail;
    }

    /** @return the largest header length field accepted. */
    public int maxBodyLength()
    {
        return maxBodyLength;
    }

    /** @return the smallest header length field accepted. */
    public int minBodyLength()
    {
        return minBodyLength;
    }

    /**
     * @return bytes the current record still needs (the rest of the header, then the rest of the body); 0 while a
     *     complete record waits to be taken or after a framing error.
     */
    public int bytesWanted()
    {
        if (ready != null || error != null)
        {
            return 0;
        }
        return headerFilled < header.length ? header.length - headerFilled : record.length - filled;
    }

    /**
     * Feeds bytes of one chunk.
     *
     * @param seq    TCP seq of {@code src[offset]}; must continue the bytes fed before.
     * @param src    chunk bytes.
     * @param offset first byte.
     * @param length bytes, at most {@link #bytesWanted()}.
     * @param mark   the chunk's device mark.
     */
    public void append(final long seq, final byte[] src, final int offset, final int length, final int mark)
    {
        if (length <= 0 || length > bytesWanted())
        {
            throw new IllegalArgumentException("append of " + length + " bytes at tcp seq " + seq +
                " but the framer wants " + bytesWanted());
        }
        if (expectedSeq >= 0 && seq != expectedSeq)
        {
            throw new IllegalArgumentException("chunk at tcp seq " + seq + " does not continue the stream at " +
                expectedSeq);
        }
        expectedSeq = (seq + length) & 0xFFFF_FFFFL;
        int at = offset;
        int left = length;
        if (headerFilled < header.length)
        {
            if (headerFilled == 0)
            {
                recordSeq = seq;
            }
            final int n = Math.min(left, header.length - headerFilled);
            System.arraycopy(src, at, header, headerFilled, n);
            addRun(headerFilled + n, mark);
            headerFilled += n;
            at += n;
            left -= n;
            if (headerFilled < header.length)
            {
                return;
            }
            if (!startRecord())
            {
                return;
            }
        }
        if (left > 0)
        {
            System.arraycopy(src, at, record, filled, left);
            filled += left;
            addRun(filled, mark);
        }
        if (filled == record.length)
        {
            ready = new FramedRecord(recordSeq, record, RecordProtection.HEADER_LENGTH + explicitNonceLength,
                Arrays.copyOf(runEnds, runs), Arrays.copyOf(runValues, runs));
        }
    }

    /** @return the complete record, now owned by the caller, or {@code null} when none is complete. */
    public FramedRecord take()
    {
        final FramedRecord r = ready;
        if (r != null)
        {
            ready = null;
            record = null;
            headerFilled = 0;
            filled = 0;
            runs = 0;
        }
        return r;
    }

    /**
     * Gives back the array of a record {@link #take() taken} earlier, once nothing refers to it any more (its
     * plaintext all read): a later record of the same length is framed into it instead of a new array.
     *
     * @param record the record's array ({@link FramedRecord#bytes()}).
     */
    public void recycle(final byte[] record)
    {
        if (freeCount < FREE_LIMIT)
        {
            free[freeCount++] = record;
        }
    }

    /** @return the framing error that stopped the stream, or {@code null}. */
    public TlsErrnoException error()
    {
        return error;
    }

    /** @return whether some bytes of an incomplete record are held (an EOF now cuts a record). */
    public boolean hasPartialRecord()
    {
        return ready == null && headerFilled > 0;
    }

    private boolean startRecord()
    {
        final int bodyLength = (header[3] & 0xFF) << 8 | (header[4] & 0xFF);
        final int legacyVersion = (header[1] & 0xFF) << 8 | (header[2] & 0xFF);
        if (bodyLength > maxBodyLength)
        {
            error = new TlsErrnoException(Errno.EMSGSIZE, "record length " + bodyLength + " exceeds " + maxBodyLength +
                " (2^14 + " + (maxBodyLength - RecordProtection.MAX_PLAINTEXT_LENGTH) + ") at tcp seq " + recordSeq);
        }
        else if (bodyLength < minBodyLength)
        {
            error = new TlsErrnoException(Errno.EMSGSIZE, "record length " + bodyLength + " is below the minimum " +
                minBodyLength + " at tcp seq " + recordSeq);
        }
        else if (legacyVersion != 0x0303)
        {
            error = new TlsErrnoException(Errno.EINVAL, String.format(
                "record version 0x%04x is not 0x0303 at tcp seq %d", legacyVersion, recordSeq));
        }
        if (error != null)
        {
            return false;
        }
        record = newRecord(RecordProtection.HEADER_LENGTH + bodyLength);
        System.arraycopy(header, 0, record, 0, header.length);
        filled = header.length;
        return true;
    }

    /** @return an array of exactly {@code length} bytes (record handlers read the record's end from it). */
    private byte[] newRecord(final int length)
    {
        for (int i = freeCount - 1; i >= 0; i--)
        {
            final byte[] b = free[i];
            if (b.length == length)
            {
                free[i] = free[--freeCount];
                free[freeCount] = null;
                return b;
            }
        }
        return new byte[length];
    }

    private void addRun(final int end, final int mark)
    {
        if (runs > 0 && runValues[runs - 1] == mark)
        {
            runEnds[runs - 1] = end;
            return;
        }
        if (runs == runEnds.length)
        {
            runEnds = Arrays.copyOf(runEnds, runs * 2);
            runValues = Arrays.copyOf(runValues, runs * 2);
        }
        runEnds[runs] = end;
        runValues[runs] = mark;
        runs++;
    }
}
