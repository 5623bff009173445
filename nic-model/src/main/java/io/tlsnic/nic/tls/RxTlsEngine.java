package io.tlsnic.nic.tls;

import io.tlsnic.nic.flow.FlowContextTable;
import io.tlsnic.nic.flow.FlowEngine;
import io.tlsnic.nic.flow.TrackerState;
import io.tlsnic.wire.crypto.StreamingAead;
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
        /** For RESYNC_REQUEST: the TCP seq of the header candidate (async: the header the device tracks now). */
        public long resyncSeq;
        /** A resync request started with this packet (the tracker latched onto a candidate). */
        public boolean requestStarted;
        /** A pending request was abandoned (false latch, or its header chain was lost). */
        public boolean requestAbandoned;
        /** Async mode: the request is a progress report, not a new candidate. */
        public boolean asyncProgress;

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
            requestStarted = false;
            requestAbandoned = false;
            asyncProgress = false;
        }
    }

    private final RecordCursor cursor;
    private final StreamingAead engine;
    private final byte[] saltAndIv = new byte[12];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[13];
    private final byte[] tag = new byte[TlsCipher.TAG_LENGTH];
    private final Outcome outcome = new Outcome();
    private final Scratch scratch;

    private static final int LOG = 64;

    private TrackerState state = TrackerState.START;
    private RxResyncMode mode = RxResyncMode.DEVICE_REQUEST;
    private long expectedSeq;
    /** A record start the host named ahead of the tracker (core next hint), or -1. */
    private long pendingStartSeq = -1;
    private long pendingStartRecord;
    /** RESYNC_PENDING: TCP seqs of the speculative headers since the candidate, and their index from it. */
    private final long[] speculativeSeqs = new long[LOG];
    private final long[] speculativeIndex = new long[LOG];
    private int speculativeCount;
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
     * @param info the context's crypto_info (AES-GCM or ChaCha20-Poly1305).
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
        cursor = new RecordCursor(version, cipher, recordNumber);
        engine = StreamingAead.of(cipher, key);
        System.arraycopy(saltAndIv, 0, this.saltAndIv, 0, 12);
        expectedSeq = startTcpSeq & 0xFFFF_FFFFL;
        this.scratch = scratch;
        // The install names a record start: tracking starts there even inside a packet that began before it.
        pendingStartSeq = expectedSeq;
        pendingStartRecord = recordNumber;
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
        if (state != TrackerState.START && state != TrackerState.TRACKING || recordOffset > 0)
        {
            pendingStartSeq = -1; // not at a known record start
        }
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

    /** @param resyncMode how this tracker regains sync (default DEVICE_REQUEST). */
    public void setResyncMode(final RxResyncMode resyncMode)
    {
        this.mode = resyncMode;
    }

    @Override
    public void close()
    {
        engine.close();
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
        final int delta = (int)(seq - expectedSeq); // wrap-aware signed distance
        if (length == 0 || delta + length <= 0)
        {
            return outcome; // nothing, or old data: a retransmission of bytes already seen
        }
        final int old = Math.max(0, -delta);
        if (pendingStartSeq >= 0 && takePendingStart(seq, buf, offset, length))
        {
            expectedSeq = (seq + length) & 0xFFFF_FFFFL;
            outcome.stateAfter = state;
            return outcome;
        }
        switch (state)
        {
            case SEARCHING:
                if (mode != RxResyncMode.CORE_NEXT_HINT)
                {
                    scan(seq + old, buf, offset + old, length - old);
                }
                break;
            case RESYNC_PENDING:
                if (delta > 0)
                {
                    skip(delta);
                }
                if (state == TrackerState.RESYNC_PENDING)
                {
                    speculate(seq + old, buf, offset + old, length - old);
                }
                else
                {
                    outcome.requestAbandoned = true; // the chain of headers was lost with the gap
                }
                break;
            default:
                if (delta < 0)
                {
                    // Partly old: only the new tail moves the tracker, and it passes undecrypted.
                    skip(length + delta);
                }
                else
                {
                    if (delta > 0)
                    {
                        skip(delta); // bytes lost before this segment
                    }
                    if (state != TrackerState.SEARCHING)
                    {
                        state = TrackerState.TRACKING;
                        walk(buf, offset, length, true);
                    }
                }
                break;
        }
        expectedSeq = (seq + length) & 0xFFFF_FFFFL;
        outcome.stateAfter = state;
        return outcome;
    }

    /**
     * A record start named by the host lies in or at this packet: tracking restarts there. A packet that starts
     * exactly at it can be decrypted; one that holds it further in cannot (its earlier bytes are not TLS the device
     * followed), but the record's bytes from the header on still run through the engine.
     *
     * @return whether the packet was handled here.
     */
    private boolean takePendingStart(final long seq, final byte[] buf, final int offset, final int length)
    {
        final int into = (int)(pendingStartSeq - seq);
        if (into >= length)
        {
            return false; // still ahead
        }
        final long number = pendingStartRecord;
        pendingStartSeq = -1;
        if (into < 0)
        {
            return false; // passed unseen (lost): the hint is void
        }
        cursor.restartAt(number);
        recordBroken = false;
        state = TrackerState.TRACKING;
        walk(buf, offset + into, length - into, into == 0);
        return true;
    }

    /** Looks for a record header candidate in bytes the tracker has not followed. */
    private void scan(final long seq, final byte[] buf, final int offset, final int length)
    {
        final int end = offset + length;
        for (int i = offset; i + RecordProtection.HEADER_LENGTH <= end; i++)
        {
            if (!plausibleChain(buf, i, end))
            {
                continue;
            }
            final long candidate = (seq + (i - offset)) & 0xFFFF_FFFFL;
            state = TrackerState.RESYNC_PENDING;
            cursor.restartAt(0); // numbers are relative to the candidate until the host names it
            recordBroken = true;
            speculativeCount = 0;
            remember(candidate, 0);
            outcome.status = Status.RESYNC_REQUEST;
            outcome.resyncSeq = candidate;
            outcome.requestStarted = true;
            speculate(candidate, buf, i, end - i);
            return;
        }
    }

    /** A header at {@code i} whose length leads to another plausible header, or past the packet's end. */
    private boolean plausibleChain(final byte[] buf, final int i, final int end)
    {
        int p = i;
        int headers = 0;
        while (p + RecordProtection.HEADER_LENGTH <= end)
        {
            System.arraycopy(buf, p, cursor.prefix, 0, RecordProtection.HEADER_LENGTH);
            final int text = headerTextLength();
            if (text < 0)
            {
                return headers > 0 && p >= end;
            }
            headers++;
            p += cursor.prefixLength + text + TlsCipher.TAG_LENGTH;
        }
        return headers > 0;
    }

    /** Validates the first five prefix bytes as a header of this flow (the explicit nonce need not be there). */
    private int headerTextLength()
    {
        return cursor.parseHeader();
    }

    /** Follows record lengths from the candidate without decrypting; a header that fails means a false latch. */
    private void speculate(final long seq, final byte[] buf, final int offset, final int length)
    {
        int p = offset;
        final int end = offset + length;
        while (p < end)
        {
            final int take = Math.min(cursor.runRemaining(), end - p);
            if (cursor.run() == RecordCursor.PREFIX)
            {
                if (cursor.recordOffset == 0)
                {
                    final long headerSeq = (seq + (p - offset)) & 0xFFFF_FFFFL;
                    if (cursor.recordNumber > 0)
                    {
                        remember(headerSeq, cursor.recordNumber);
                        if (mode == RxResyncMode.ASYNC)
                        {
                            outcome.status = Status.RESYNC_REQUEST;
                            outcome.resyncSeq = headerSeq;
                            outcome.asyncProgress = true;
                        }
                    }
                }
                System.arraycopy(buf, p, cursor.prefix, cursor.recordOffset, take);
                cursor.recordOffset += take;
                if (cursor.recordOffset == cursor.prefixLength)
                {
                    final int text = cursor.parseHeader();
                    if (text < 0)
                    {
                        state = TrackerState.SEARCHING;
                        outcome.requestAbandoned = true;
                        return;
                    }
                    cursor.textLength = text;
                }
            }
            else
            {
                cursor.recordOffset += take;
                if (cursor.run() == RecordCursor.PREFIX || cursor.recordOffset
                    == cursor.prefixLength + cursor.textLength + TlsCipher.TAG_LENGTH)
                {
                    cursor.nextRecord();
                    if (cursor.recordNumber >= LOG)
                    {
                        // Unanswered for longer than the tracker remembers headers: give the request up and look
                        // again (a lost request, or a candidate the host will never see as a record start).
                        state = TrackerState.SEARCHING;
                        outcome.requestAbandoned = true;
                        return;
                    }
                }
            }
            p += take;
        }
    }

    private void remember(final long headerSeq, final long index)
    {
        final int slot = speculativeCount++ % LOG;
        speculativeSeqs[slot] = headerSeq;
        speculativeIndex[slot] = index;
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
        if (state == TrackerState.RESYNC_PENDING)
        {
            for (int i = 0; i < Math.min(speculativeCount, LOG); i++)
            {
                if (speculativeSeqs[i] == seq)
                {
                    // The host confirmed a header the tracker followed: every speculative number becomes real.
                    cursor.recordNumber += recordNumber - speculativeIndex[i];
                    recordBroken = cursor.recordOffset != 0;
                    state = TrackerState.TRACKING;
                    return true;
                }
            }
        }
        if ((int)(seq - expectedSeq) < 0)
        {
            return false; // behind the tracker: too late to act on
        }
        pendingStartSeq = seq;
        pendingStartRecord = recordNumber;
        return true;
    }

    /** Gives up a pending request (the host cancelled it): back to searching. */
    public void cancelResync()
    {
        if (state == TrackerState.RESYNC_PENDING)
        {
            state = TrackerState.SEARCHING;
        }
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

    private void walk(final byte[] buf, final int offset, final int length, final boolean canQualify)
    {
        final byte[] scratch = this.scratch.atLeast(length);
        boolean qualifies = canQualify;
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
