package io.tlsnic.nic.tls;

import io.tlsnic.nic.flow.FlowContextTable;
import io.tlsnic.nic.flow.FlowEngine;
import io.tlsnic.nic.flow.TrackerState;
import io.tlsnic.wire.crypto.AesGcmStream;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The RX half of a flow's inline TLS, with the device's record tracker. In-order segments of a tracked record
 * are decrypted in flight, the partial prefix, AES block, GHASH and tag carried to the next segment, and the tag
 * checked at record end. A packet is returned {@link Status#DECRYPTED} only if every record part in it was
 * decrypted and, where a tag ends in it, authenticated; otherwise it is left exactly as it arrived
 * (tls-offload.rst: "the packet is passed unmodified"; never partly decrypted in place). Decryption therefore
 * goes to a scratch buffer and is copied over the packet only when the whole packet qualifies.
 *
 * <p>Tracker states (OFFLOAD-CONTRACT §5):
 * <ul>
 *   <li>{@link TrackerState#START}: installed, waiting for the first segment at the start seq;</li>
 *   <li>{@link TrackerState#TRACKING}: in sync. A gap that lies inside the current record (no header lost)
 *       keeps sync: that record can no longer be authenticated, so its remaining parts pass unmodified, and the
 *       next record is decrypted again. Old data (a retransmission below the expected seq) passes unmodified.</li>
 *   <li>{@link TrackerState#SEARCHING}: a header was lost (or a header was garbage); packets pass unmodified
 *       until {@link #resync} says where a record starts and which number it has.</li>
 * </ul>
 * Resync modes (device request, core next hint, async) are driven from outside through {@link #resync}.
 */
public final class RxTlsEngine implements FlowEngine
{
    /** Per-packet completion status, as the completion queue reports it. */
    public enum Status
    {
        /** 0: passed unmodified. */
        NOT_DECRYPTED(0),
        /** 1: every record part decrypted and authenticated where the tag ended. */
        DECRYPTED(1),
        /** 2: the device asks the host to confirm a header position ({@link Outcome#resyncSeq}). */
        RESYNC_REQUEST(2),
        /** 3: a record failed authentication or a header was invalid; the packet is unmodified. */
        ERROR(3);

        private final int code;

        Status(final int code)
        {
            this.code = code;
        }

        /** @return the completion status code. */
        public int code()
        {
            return code;
        }
    }

    /** What happened to one packet, for counters and the event log. Reused: read it before the next call. */
    public static final class Outcome
    {
        /** Completion status. */
        public Status status;
        /** Tracker state before and after the packet. */
        public TrackerState stateBefore;
        public TrackerState stateAfter;
        /** First record number the packet touched, and how many records it touched (0 if none). */
        public long firstRecord;
        public int recordsTouched;
        /** Tags that verified / failed in this packet. */
        public int tagsVerified;
        public int tagsFailed;
        /** Text bytes decrypted (whether or not the packet qualified). */
        public int decryptedBytes;
        /** For RESYNC_REQUEST: the TCP seq of the header candidate. */
        public long resyncSeq;

        void reset(final TrackerState state)
        {
            status = Status.NOT_DECRYPTED;
            stateBefore = state;
            stateAfter = state;
            firstRecord = -1;
            recordsTouched = 0;
            tagsVerified = 0;
            tagsFailed = 0;
            decryptedBytes = 0;
            resyncSeq = -1;
        }
    }

    private final RecordCursor cursor;
    private final AesGcmStream engine;
    private final byte[] saltAndIv = new byte[12];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[13];
    private final byte[] tag = new byte[TlsCipher.TAG_LENGTH];
    private final Outcome outcome = new Outcome();
    private final Scratch scratch;

    private TrackerState state = TrackerState.START;
    private long expectedSeq;
    /** The current record lost bytes (a gap) and can no longer be decrypted or authenticated. */
    private boolean recordBroken;

    /**
     * A packet-sized buffer the engine decrypts into before it knows whether the packet qualifies. One per device
     * (packets are processed one at a time), shared by all flows' engines.
     */
    public static final class Scratch
    {
        byte[] bytes = new byte[2048];

        byte[] atLeast(final int length)
        {
            if (bytes.length < length)
            {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            return bytes;
        }
    }

    /**
     * @param info the context's crypto_info (AES-GCM only).
     * @param startTcpSeq TCP seq of the first byte of record {@code info.recSeq()}.
     */
    public RxTlsEngine(final CryptoInfo info, final long startTcpSeq)
    {
        this(info.version(), info.cipher(), info.key(), TxTlsEngine.saltAndIv(info), startTcpSeq, info.recSeq(),
            new Scratch());
    }

    /**
     * @param version TLS version.
     * @param cipher AES-GCM-128 or -256.
     * @param key key bytes (not kept: expanded into the cipher state).
     * @param saltAndIv salt(4) || iv(8), the nonce base.
     * @param startTcpSeq TCP seq at a record boundary.
     * @param recordNumber number of the record starting there.
     * @param scratch the device's shared decrypt buffer.
     */
    public RxTlsEngine(final TlsVersion version, final TlsCipher cipher, final byte[] key, final byte[] saltAndIv,
        final long startTcpSeq, final long recordNumber, final Scratch scratch)
    {
        if (!cipher.isAesGcm())
        {
            throw new IllegalArgumentException("the inline engine handles AES-GCM only, not " + cipher);
        }
        cursor = new RecordCursor(version, cipher, recordNumber);
        engine = new AesGcmStream(key);
        System.arraycopy(saltAndIv, 0, this.saltAndIv, 0, 12);
        expectedSeq = startTcpSeq & 0xFFFF_FFFFL;
        this.scratch = scratch;
    }

    /**
     * Restores a state evicted from the cache: tracker state, and when it was evicted inside a record of known
     * length, the position in it. That record lost its cipher carry, so its remaining parts pass unmodified and
     * tracking resumes at the next record (no resync needed: its position is known).
     *
     * @param state tracker state saved in the slot.
     * @param recordOffset offset inside the record (0 at a boundary).
     * @param recordLength its total length, 0 when unknown.
     */
    public void restore(final TrackerState state, final int recordOffset, final int recordLength)
    {
        this.state = state;
        if (recordOffset > 0)
        {
            if (recordLength > 0 && recordOffset >= cursor.prefixLength)
            {
                cursor.placeInside(recordOffset, recordLength);
                recordBroken = true;
            }
            else
            {
                this.state = TrackerState.SEARCHING; // evicted inside a header: the record's length is lost
            }
        }
    }

    @Override
    public boolean midRecord()
    {
        return cursor.recordOffset != 0;
    }

    @Override
    public boolean pinned()
    {
        return false;
    }

    @Override
    public void saveTo(final FlowContextTable table, final int slot)
    {
        table.setExpectedTcpSeq(slot, (int)expectedSeq);
        table.setRecordNumber(slot, cursor.recordNumber);
        table.setRecordOffset(slot, cursor.recordOffset);
        table.setRecordLength(slot, cursor.recordLength());
        table.setState(slot, state);
    }

    /** @return tracker state. */
    public TrackerState state()
    {
        return state;
    }

    /** @return the next TCP seq the tracker expects. */
    public long expectedSeq()
    {
        return expectedSeq;
    }

    /** @return number of the record the next expected byte belongs to. */
    public long recordNumber()
    {
        return cursor.recordNumber;
    }

    /**
     * Processes one received segment's TCP payload, decrypting it in place when it qualifies.
     *
     * @param tcpSeq TCP seq of {@code buf[offset]}.
     * @param buf payload bytes.
     * @param offset first payload byte.
     * @param length payload length (0 is allowed: a pure ACK).
     * @return the outcome (reused by the next call).
     */
    public Outcome process(final long tcpSeq, final byte[] buf, final int offset, final int length)
    {
        outcome.reset(state);
        final long seq = tcpSeq & 0xFFFF_FFFFL;
        if (length == 0)
        {
            return outcome;
        }
        final int delta = (int)(seq - expectedSeq); // wrap-aware signed distance
        if (state == TrackerState.SEARCHING)
        {
            if (delta + length > 0)
            {
                expectedSeq = (seq + length) & 0xFFFF_FFFFL;
            }
            return outcome;
        }
        if (delta + length <= 0)
        {
            return outcome; // old data: a retransmission of bytes already seen
        }
        if (delta < 0)
        {
            // Partly old: only the new tail moves the tracker, and it passes undecrypted.
            skip(length + delta);
            expectedSeq = (seq + length) & 0xFFFF_FFFFL;
            outcome.stateAfter = state;
            return outcome;
        }
        if (delta > 0)
        {
            skip(delta); // bytes lost before this segment
            if (state == TrackerState.SEARCHING)
            {
                expectedSeq = (seq + length) & 0xFFFF_FFFFL;
                outcome.stateAfter = state;
                return outcome;
            }
        }
        if (state == TrackerState.START)
        {
            state = TrackerState.TRACKING;
        }
        walk(buf, offset, length);
        expectedSeq = (seq + length) & 0xFFFF_FFFFL;
        outcome.stateAfter = state;
        return outcome;
    }

    /**
     * The host names a record start (confirming a device request, or a core next hint): the record at TCP seq
     * {@code tcpSeq} has number {@code recordNumber}. Takes effect if that seq is not behind the tracker;
     * data before it passes unmodified.
     *
     * @param tcpSeq TCP seq of a record header.
     * @param recordNumber its record number.
     * @return true when the tracker was moved to the record start.
     */
    public boolean resync(final long tcpSeq, final long recordNumber)
    {
        final long seq = tcpSeq & 0xFFFF_FFFFL;
        if ((int)(seq - expectedSeq) < 0)
        {
            return false;
        }
        expectedSeq = seq;
        cursor.restartAt(recordNumber);
        recordBroken = false;
        state = TrackerState.TRACKING;
        return true;
    }

    /** Advances over {@code n} bytes the device did not see or will not decrypt. */
    private void skip(final int n)
    {
        long remaining = n;
        while (remaining > 0 && state != TrackerState.SEARCHING)
        {
            final long toEnd = cursor.bytesToRecordEnd();
            if (toEnd < 0)
            {
                // The header (or part of it) is among the skipped bytes: the next record start is unknown.
                state = TrackerState.SEARCHING;
                return;
            }
            if (remaining < toEnd)
            {
                cursor.recordOffset += (int)remaining;
                recordBroken = true;
                return;
            }
            remaining -= toEnd;
            cursor.nextRecord();
            recordBroken = false;
        }
    }

    private void walk(final byte[] buf, final int offset, final int length)
    {
        final byte[] scratch = this.scratch.atLeast(length);
        boolean qualifies = true;
        int p = offset;
        final int end = offset + length;
        while (p < end)
        {
            if (outcome.firstRecord < 0 || cursor.recordOffset == 0)
            {
                if (outcome.firstRecord < 0)
                {
                    outcome.firstRecord = cursor.recordNumber;
                }
                outcome.recordsTouched++;
            }
            final int take = Math.min(cursor.runRemaining(), end - p);
            switch (cursor.run())
            {
                case RecordCursor.PREFIX:
                    System.arraycopy(buf, p, cursor.prefix, cursor.recordOffset, take);
                    System.arraycopy(buf, p, scratch, p - offset, take);
                    cursor.recordOffset += take;
                    if (cursor.recordOffset == cursor.prefixLength && !startRecord())
                    {
                        // Garbage where a header should be: sync is lost; nothing in this packet is decrypted.
                        state = TrackerState.SEARCHING;
                        outcome.status = Status.ERROR;
                        return;
                    }
                    break;
                case RecordCursor.TEXT:
                    if (recordBroken)
                    {
                        qualifies = false;
                    }
                    else
                    {
                        engine.update(buf, p, take, scratch, p - offset);
                        outcome.decryptedBytes += take;
                    }
                    cursor.recordOffset += take;
                    break;
                default:
                    final int tagOffset = cursor.offsetInRun();
                    System.arraycopy(buf, p, tag, tagOffset, take);
                    System.arraycopy(buf, p, scratch, p - offset, take);
                    cursor.recordOffset += take;
                    if (recordBroken)
                    {
                        qualifies = false;
                    }
                    else if (tagOffset + take == TlsCipher.TAG_LENGTH)
                    {
                        if (engine.verifyTag(tag, 0))
                        {
                            outcome.tagsVerified++;
                        }
                        else
                        {
                            outcome.tagsFailed++;
                            qualifies = false;
                        }
                    }
                    if (tagOffset + take == TlsCipher.TAG_LENGTH)
                    {
                        cursor.nextRecord();
                        recordBroken = false;
                    }
                    break;
            }
            p += take;
        }
        if (outcome.tagsFailed > 0)
        {
            outcome.status = Status.ERROR;
        }
        else if (qualifies)
        {
            commit(buf, offset, length);
            outcome.status = Status.DECRYPTED;
        }
    }

    /** Replaces the packet by its decrypted image (text decrypted, prefixes and tags as they arrived). */
    private void commit(final byte[] buf, final int offset, final int length)
    {
        System.arraycopy(scratch.bytes, 0, buf, offset, length);
    }

    private boolean startRecord()
    {
        final int textLength = cursor.parseHeader();
        if (textLength < 0)
        {
            return false;
        }
        cursor.textLength = textLength;
        final TlsVersion version = cursor.version;
        RecordProtection.nonce(version, cursor.cipher, saltAndIv, cursor.recordNumber, cursor.prefix,
            RecordProtection.HEADER_LENGTH, nonce, 0);
        final int aadLength;
        if (version == TlsVersion.TLS_1_3)
        {
            System.arraycopy(cursor.prefix, 0, aad, 0, RecordProtection.TLS13_AAD_LENGTH);
            aadLength = RecordProtection.TLS13_AAD_LENGTH;
        }
        else
        {
            aadLength = RecordProtection.aad(version, cursor.recordNumber, cursor.prefix[0] & 0xFF, textLength, aad, 0);
        }
        engine.start(false, nonce, 0, aad, 0, aadLength);
        return true;
    }
}
