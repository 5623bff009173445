package io.tlsnic.stack.tcp;

import io.tlsnic.wire.sim.EventScheduler;

/**
 * One TCP connection, host side (RFC 9293), driven by events: {@link #onSegment} for arrivals, timers on the
 * {@link EventScheduler}, and application calls. It emits {@link TcpSegment}s to a {@link SegmentSink}.
 *
 * <p>Sender: data waits in a {@link SendBuffer} until acknowledged; segments are cut at the effective MSS, or
 * handed off as TSO super-segments; what may be sent is bounded by the peer's window and by the congestion window
 * of a pluggable {@link CongestionControl}. Loss is found by three duplicate ACKs or by SACK (RFC 6675 IsLost) and
 * repaired in fast recovery (RFC 6675 with SACK, NewReno of RFC 6582 without), or by the retransmission timer
 * (RFC 6298) with go-back-N from SND.UNA that skips SACKed bytes. {@code sndMax} is the highest sequence ever sent
 * plus one (BSD's {@code snd_max}); {@code sndNxt} falls back to SND.UNA after a timeout.
 *
 * <p>Receiver: in-order data goes to a {@link ReceiveQueue} as chunks with their device mark; data beyond a gap
 * waits in an {@link OutOfOrderQueue} and is reported with SACK (and D-SACK, RFC 2883, for duplicates). ACKs are
 * delayed (RFC 5681 section 4.2) except for out-of-order, gap-filling, duplicate data and FIN.
 */
public final class TcpConnection
{
    private static final long MS = 1_000_000L;
    private static final int DEFAULT_MSS = 536;
    private static final int TIMESTAMP_OPTION_LENGTH = 12;
    private static final int DUP_THRESH = 3;
    private static final long SYN_TIMEOUT_FLOOR_NS = 3_000 * MS;
    private static final TcpConnectionListener NO_LISTENER = new TcpConnectionListener()
    {
    };

    private final TcpConfig config;
    private final int localPort;
    private final int remotePort;
    private final EventScheduler scheduler;
    private final SegmentSink sink;
    private final TcpCounters counters = new TcpCounters();
    private final CongestionControl congestionControl;
    private final RtoEstimator rto;
    private final SendBuffer sendBuffer;
    private java.util.function.IntUnaryOperator sendPin;
    private final ReceiveQueue receiveQueue = new ReceiveQueue();
    private final OutOfOrderQueue outOfOrderQueue = new OutOfOrderQueue();
    private final SackScoreboard scoreboard = new SackScoreboard();
    private final TcpTimer retransmitTimer;
    private final TcpTimer delayedAckTimer;
    private final TcpTimer persistTimer;
    private final TcpTimer timeWaitTimer;
    private final int[] sackOut = new int[2 * TcpSegment.MAX_SACK_BLOCKS];
    private TcpConnectionListener listener = NO_LISTENER;
    private Object ulpData;

    private TcpState state = TcpState.CLOSED;
    private NegotiatedOptions options;
    private boolean peerOfferedWindowScale;
    private boolean synSent;
    private int effectiveMss;
    private int tsOffset;

    // Send sequence space (RFC 9293 section 3.3.1) plus sndMax.
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWnd;
    private int maxSndWnd;
    private int sndWl1;
    private int sndWl2;
    private boolean finQueued;
    private int finSeq;
    private boolean writeBlocked;

    // Receive sequence space.
    private int irs;
    private int rcvNxt;
    private int rcvAdvertisedEdge;
    private int rcvMss = DEFAULT_MSS;
    private int lastAckSent;
    private boolean ackNow;
    private int tsRecent;
    private boolean peerFinSeen;
    private int peerFinSeq;
    private boolean peerFinReceived;
    private boolean dsackPending;
    private int dsackStart;
    private int dsackEnd;

    // Loss recovery.
    private int dupAcks;
    private boolean inRecovery;
    private int recoverSeq;
    private int highRxt;
    private int renoInflation;
    private int consecutiveTimeouts;
    private int persistBackoff;
    private boolean rttTiming;
    private int tsAtLastTimeout;
    private boolean timedOut;
    private int rttSeq;
    private long rttStartNs;

    // Upcalls owed to the listener, fired when the current event is done.
    private boolean firing;
    private boolean owesEstablished;
    private boolean owesReadable;
    private boolean owesAcked;
    private boolean owesWritable;
    private boolean owesClosed;
    private boolean closedByReset;

    /**
     * @param config settings.
     * @param localPort this side's port.
     * @param remotePort the peer's port.
     * @param scheduler virtual time and timers.
     * @param sink receives every emitted segment.
     */
    public TcpConnection(final TcpConfig config, final int localPort, final int remotePort,
        final EventScheduler scheduler, final SegmentSink sink)
    {
        this.config = config;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.scheduler = scheduler;
        this.sink = sink;
        this.congestionControl = config.newCongestionControl();
        this.rto = new RtoEstimator(config.initialRtoNs(), config.minRtoNs(), config.maxRtoNs(), MS);
        this.sendBuffer = new SendBuffer(config.sendBufferCapacity(), 0);
        this.retransmitTimer = new TcpTimer(scheduler, this::onRetransmitTimeout);
        this.delayedAckTimer = new TcpTimer(scheduler, this::onDelayedAckTimeout);
        this.persistTimer = new TcpTimer(scheduler, this::onPersistTimeout);
        this.timeWaitTimer = new TcpTimer(scheduler, this::onTimeWaitTimeout);
    }

    /**
     * Tells TCP who owns the arrays of the segments it is handed, so that pooled ones are reused only once TCP no
     * longer refers to them. Set before the first segment arrives.
     *
     * @param buffers the owner of received payload arrays.
     */
    public void setReceiveBuffers(final ReceiveBuffers buffers)
    {
        if (receiveQueue.readableBytes() != 0 || !outOfOrderQueue.isEmpty())
        {
            throw new IllegalStateException("receive buffers set after data arrived");
        }
        java.util.Objects.requireNonNull(buffers, "buffers");
        receiveQueue.setBuffers(buffers);
        outOfOrderQueue.setBuffers(buffers);
    }

    /**
     * Creates a connection already ESTABLISHED, as a capture shows it after its handshake (pcap replay). The SYNs
     * are taken to have consumed {@code iss} and {@code irs}; no segment is emitted.
     *
     * @param iss this side's initial sequence number.
     * @param irs the peer's initial sequence number.
     * @param negotiated what the handshake settled.
     * @param peerWindowBytes the peer's receive window, already scaled.
     */
    public static TcpConnection established(final TcpConfig config, final int localPort, final int remotePort,
        final EventScheduler scheduler, final SegmentSink sink, final int iss, final int irs,
        final NegotiatedOptions negotiated, final int peerWindowBytes)
    {
        final TcpConnection c = new TcpConnection(config, localPort, remotePort, scheduler, sink);
        c.startSendSpace(iss);
        c.sndUna = Seq.add(iss, 1);
        c.startReceiveSpace(irs);
        c.options = negotiated;
        c.sndWnd = peerWindowBytes;
        c.maxSndWnd = peerWindowBytes;
        c.sndWl1 = irs;
        c.sndWl2 = c.sndUna;
        c.rcvAdvertisedEdge = Seq.add(c.rcvNxt, Math.min(config.receiveBufferCapacity(),
            0xFFFF << negotiated.receiveWindowScale()));
        c.becomeEstablished();
        c.owesEstablished = false;
        return c;
    }

    /** @param data state of the upper-layer protocol (kTLS) on this connection, read by the host on transmit. */
    public void setUlpData(final Object data)
    {
        this.ulpData = data;
    }

    /** @return what the upper-layer protocol attached ({@code icsk_ulp_data}), or null. */
    public Object ulpData()
    {
        return ulpData;
    }

    /** @param listener the connection's event listener. */
    public void setListener(final TcpConnectionListener listener)
    {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Application calls
    // ------------------------------------------------------------------------------------------------------------

    /** Active open: sends a SYN offering the configured options (RFC 9293 section 3.10.1). */
    public void connect(final int initialSeq)
    {
        requireState(TcpState.CLOSED, "connect");
        startSendSpace(initialSeq);
        state = TcpState.SYN_SENT;
        counters.increment(TcpCounter.ACTIVE_OPENS);
        startRttTiming(iss);
        emitSyn(false);
        retransmitTimer.arm(rto.rtoNs());
    }

    /** Passive open: waits for a SYN; answers with {@code initialSeq} as ISS. */
    public void listen(final int initialSeq)
    {
        requireState(TcpState.CLOSED, "listen");
        iss = initialSeq;
        state = TcpState.LISTEN;
    }

    /**
     * Queues bytes for sending. Allowed from SYN_SENT (they leave once established) until {@link #close()}.
     *
     * @return bytes accepted into the send buffer; 0 when it is full.
     */
    public int send(final byte[] src, final int offset, final int length)
    {
        if (!canQueueData())
        {
            throw new IllegalStateException("send on connection " + localPort + ">" + remotePort + " in state " + state +
                (finQueued ? " after close" : ""));
        }
        final int accepted = sendBuffer.append(src, offset, length);
        if (accepted < length)
        {
            writeBlocked = true;
        }
        transmitPending();
        fireUpcalls();
        return accepted;
    }

    /**
     * Where the next {@code length} bytes can be written straight into the send buffer (Linux: data written into
     * the pages TCP will send, with no second copy), or -1 when they do not fit in one run of it now. The caller
     * writes them into {@link #sendBufferArray()} at that index and then calls {@link #sendInPlace(int)}; nothing
     * else may be sent on the connection in between.
     *
     * @param length bytes to write.
     * @return index in {@link #sendBufferArray()}, or -1.
     */
    public int sendInPlaceIndex(final int length)
    {
        return canQueueData() ? sendBuffer.appendIndex(length) : -1;
    }

    /** @return the send buffer's array, for {@link #sendInPlaceIndex(int)}. */
    public byte[] sendBufferArray()
    {
        return sendBuffer.array();
    }

    /**
     * Queues the {@code length} bytes written at {@link #sendInPlaceIndex(int)}, as {@link #send} queues copied ones.
     *
     * @param length bytes written.
     */
    public void sendInPlace(final int length)
    {
        if (!canQueueData())
        {
            throw new IllegalStateException("send on connection " + localPort + ">" + remotePort + " in state "
                + state + (finQueued ? " after close" : ""));
        }
        sendBuffer.appendInPlace(length);
        transmitPending();
        fireUpcalls();
    }

    /**
     * @param pin given the new SND.UNA, the first seq whose bytes the layer above still needs in the send buffer
     *     (see {@code TcpTransport#setSendBufferPin}); null for none.
     */
    public void setSendBufferPin(final java.util.function.IntUnaryOperator pin)
    {
        this.sendPin = pin;
    }

    /** @return how far acknowledged bytes may leave the send buffer: SND.UNA, or less while the layer above pins. */
    private int releasableBefore(final int ack)
    {
        if (sendPin == null)
        {
            return ack;
        }
        final int pinned = sendPin.applyAsInt(ack);
        return Seq.after(pinned, ack) ? ack : Seq.before(pinned, sendBuffer.headSeq()) ? sendBuffer.headSeq() : pinned;
    }

    private boolean canQueueData()
    {
        return !finQueued && (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED
            || state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT);
    }

    /**
     * Half-close: a FIN follows the data already queued (RFC 9293 section 3.10.4). Receiving continues until the
     * peer's FIN.
     */
    public void close()
    {
        switch (state)
        {
            case LISTEN, SYN_SENT -> becomeClosed(false);
            case SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT ->
            {
                finQueued = true;
                finSeq = sendBuffer.tailSeq();
                if (state == TcpState.ESTABLISHED)
                {
                    state = TcpState.FIN_WAIT_1;
                }
                else if (state == TcpState.CLOSE_WAIT)
                {
                    state = TcpState.LAST_ACK;
                }
                transmitPending();
            }
            default ->
            {
                // Already closing or closed: nothing more to do.
            }
        }
        fireUpcalls();
    }

    /** Sends a RST and drops the connection (RFC 9293 section 3.10.5 ABORT). */
    public void abort()
    {
        if (state == TcpState.CLOSED)
        {
            return;
        }
        if (state != TcpState.LISTEN && state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT)
        {
            emitReset(sndNxt, 0, false);
        }
        becomeClosed(true);
        fireUpcalls();
    }

    /** @return bytes that {@link #read} or {@link #consume} can take now. */
    public int readableBytes()
    {
        return receiveQueue.readableBytes();
    }

    /** Shows the readable data, oldest first, chunk by chunk, each chunk with one device mark. */
    public void forEachReadableChunk(final ChunkVisitor visitor)
    {
        receiveQueue.forEach(visitor);
    }

    /** Drops {@code length} readable bytes, as after a read; may open the window. */
    public void consume(final int length)
    {
        receiveQueue.consume(length);
        afterRead();
    }

    /** Copies up to {@code length} readable bytes and consumes them; returns the count (0 when none). */
    public int read(final byte[] dst, final int offset, final int length)
    {
        final int n = receiveQueue.read(dst, offset, length);
        if (n > 0)
        {
            afterRead();
        }
        return n;
    }

    /** @return whether the peer's FIN has arrived in order (bytes before it may still be unread). */
    public boolean peerFinReceived()
    {
        return peerFinReceived;
    }

    /** @return whether the peer's FIN has arrived and every byte before it has been read. */
    public boolean isEndOfStream()
    {
        return peerFinReceived && receiveQueue.readableBytes() == 0;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Queries
    // ------------------------------------------------------------------------------------------------------------

    public TcpState state()
    {
        return state;
    }

    public TcpCounters counters()
    {
        return counters;
    }

    /** @return what the handshake settled; {@code null} before it. */
    public NegotiatedOptions options()
    {
        return options;
    }

    public int localPort()
    {
        return localPort;
    }

    public int remotePort()
    {
        return remotePort;
    }

    /** @return sequence number the next byte passed to {@link #send} will carry (the kTLS "write seq"). */
    public int writeSeq()
    {
        return sendBuffer.tailSeq();
    }

    /** @return SND.UNA: oldest unacknowledged sequence number. */
    public int sndUna()
    {
        return sndUna;
    }

    /** @return SND.NXT: next sequence number to send (falls back to SND.UNA after a timeout). */
    public int sndNxt()
    {
        return sndNxt;
    }

    /** @return highest sequence number sent, plus one. */
    public int sndMax()
    {
        return sndMax;
    }

    /** @return RCV.NXT: next sequence number expected from the peer. */
    public int rcvNxt()
    {
        return rcvNxt;
    }

    /** @return sequence number of the first unread received byte (the kTLS RX "first unread byte"). */
    public int readSeq()
    {
        return receiveQueue.readSeq();
    }

    /** @return free bytes in the send buffer. */
    public int sendBufferFree()
    {
        return sendBuffer.freeSpace();
    }

    /** @return bytes queued for sending or awaiting acknowledgment. */
    public int sendBufferLength()
    {
        return sendBuffer.length();
    }

    /** @return the peer's window in bytes, scaled. */
    public int sendWindow()
    {
        return sndWnd;
    }

    /** @return payload bytes per segment: the send MSS less the timestamps option. */
    public int effectiveMss()
    {
        return effectiveMss;
    }

    public int cwnd()
    {
        return congestionControl.cwnd();
    }

    public int ssthresh()
    {
        return congestionControl.ssthresh();
    }

    /** @return the current retransmission timeout, back-off included. */
    public long rtoNs()
    {
        return rto.rtoNs();
    }

    public long srttNs()
    {
        return rto.srttNs();
    }

    /** @return whether fast recovery is in progress. */
    public boolean inRecovery()
    {
        return inRecovery;
    }

    @Override
    public String toString()
    {
        return "tcp " + localPort + ">" + remotePort + " " + state + " una " + Seq.toUnsigned(sndUna) + " nxt " +
            Seq.toUnsigned(sndNxt) + " max " + Seq.toUnsigned(sndMax) + " wnd " + sndWnd + " cwnd " +
            congestionControl.cwnd() + " rcv.nxt " + Seq.toUnsigned(rcvNxt);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Segment arrival (RFC 9293 section 3.10.7)
    // ------------------------------------------------------------------------------------------------------------

    /** Handles one arriving segment addressed to this connection. */
    public void onSegment(final TcpSegment segment)
    {
        // A segment merged by GRO counts as the segments it was on the wire (Linux adds gso_segs).
        counters.add(TcpCounter.IN_SEGS, segment.tsoMss() > 0
            ? (segment.payloadLength() + segment.tsoMss() - 1) / segment.tsoMss() : 1);
        switch (state)
        {
            case CLOSED -> onSegmentClosed(segment);
            case LISTEN -> onSegmentListen(segment);
            case SYN_SENT -> onSegmentSynSent(segment);
            default -> onSegmentSynchronized(segment);
        }
        fireUpcalls();
    }

    private void onSegmentClosed(final TcpSegment seg)
    {
        if (!seg.has(TcpSegment.RST))
        {
            resetFor(seg);
        }
    }

    private void onSegmentListen(final TcpSegment seg)
    {
        if (seg.has(TcpSegment.RST))
        {
            return;
        }
        if (seg.has(TcpSegment.ACK))
        {
            resetFor(seg);
            return;
        }
        if (!seg.has(TcpSegment.SYN))
        {
            return;
        }
        startSendSpace(iss);
        startReceiveSpace(seg.seq());
        negotiate(seg);
        sndWnd = seg.window();
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq();
        sndWl2 = iss;
        state = TcpState.SYN_RECEIVED;
        counters.increment(TcpCounter.PASSIVE_OPENS);
        startRttTiming(iss);
        emitSyn(true);
        retransmitTimer.arm(rto.rtoNs());
    }

    private void onSegmentSynSent(final TcpSegment seg)
    {
        final boolean hasAck = seg.has(TcpSegment.ACK);
        if (hasAck && seg.ack() != Seq.add(iss, 1))
        {
            if (!seg.has(TcpSegment.RST))
            {
                resetFor(seg);
            }
            return;
        }
        if (seg.has(TcpSegment.RST))
        {
            if (hasAck)
            {
                becomeClosed(true);
            }
            return;
        }
        if (!seg.has(TcpSegment.SYN))
        {
            return;
        }
        startReceiveSpace(seg.seq());
        negotiate(seg);
        rcvAdvertisedEdge = Seq.add(rcvNxt, Math.min(config.receiveBufferCapacity(), 0xFFFF));
        sndWnd = seg.window();
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq();
        sndWl2 = seg.ack();
        if (hasAck)
        {
            sampleRtt(seg, seg.ack());
            sndUna = seg.ack();
            retransmitTimer.cancel();
            becomeEstablished();
            consecutiveTimeouts = 0;
            ackNow = true;
            transmitPending();
            flushAck();
        }
        else
        {
            // Simultaneous open (RFC 9293 section 3.5, figure 7).
            state = TcpState.SYN_RECEIVED;
            emitSyn(true);
        }
    }

    private void onSegmentSynchronized(final TcpSegment seg)
    {
        if (state == TcpState.SYN_RECEIVED && seg.has(TcpSegment.SYN) && !seg.has(TcpSegment.ACK) &&
            seg.seq() == irs)
        {
            // The peer did not get our SYN-ACK and sent its SYN again.
            emitSyn(true);
            return;
        }
        if (!isAcceptable(seg))
        {
            if (!seg.has(TcpSegment.RST))
            {
                noteDuplicate(seg.seq(), Seq.add(seg.seq(), seg.payloadLength()));
                if (seg.has(TcpSegment.ACK) && state != TcpState.SYN_RECEIVED)
                {
                    // RFC 9293: "special allowance should be made to accept valid ACKs" (zero window).
                    processAck(seg, false);
                }
                ackNow = true;
                transmitPending();
                flushAck();
            }
            return;
        }
        if (seg.has(TcpSegment.RST))
        {
            if (state == TcpState.TIME_WAIT)
            {
                // RFC 1337 section 4: ignore RST in TIME_WAIT (a late duplicate may draw one from a closed peer).
                return;
            }
            if (seg.seq() == rcvNxt)
            {
                counters.increment(TcpCounter.ESTAB_RESETS);
                becomeClosed(true);
            }
            else
            {
                // RFC 5961 section 3.2: an in-window RST that is not exact gets a challenge ACK.
                sendAck();
            }
            return;
        }
        if (seg.has(TcpSegment.SYN))
        {
            if (state == TcpState.SYN_RECEIVED && seg.seq() == irs)
            {
                emitSyn(true);
            }
            else
            {
                // RFC 5961 section 4.2: challenge ACK.
                sendAck();
            }
            return;
        }
        if (!seg.has(TcpSegment.ACK))
        {
            return;
        }
        if (seg.hasTimestamps() && options.timestamps() && Seq.beforeOrAt(seg.seq(), lastAckSent) &&
            Seq.afterOrAt(seg.tsVal(), tsRecent))
        {
            // RFC 7323 section 4.3: TS.Recent follows the segment that holds Last.ACK.sent.
            tsRecent = seg.tsVal();
        }
        if (state == TcpState.SYN_RECEIVED)
        {
            if (!Seq.after(seg.ack(), sndUna) || Seq.after(seg.ack(), sndMax))
            {
                resetFor(seg);
                return;
            }
            retransmitTimer.cancel();
            becomeEstablished();
            consecutiveTimeouts = 0;
            if (finQueued)
            {
                state = TcpState.FIN_WAIT_1;
            }
        }
        if (!processAck(seg, true) || state == TcpState.CLOSED)
        {
            return;
        }
        if (seg.payloadLength() > 0)
        {
            processData(seg);
        }
        if (seg.has(TcpSegment.FIN))
        {
            final int finAt = Seq.add(seg.seq(), seg.payloadLength());
            if (Seq.before(finAt, rcvAdvertisedEdge) || finAt == rcvNxt)
            {
                if (!peerFinSeen)
                {
                    peerFinSeen = true;
                    peerFinSeq = finAt;
                }
                ackNow = true;
            }
            if (state == TcpState.TIME_WAIT)
            {
                timeWaitTimer.arm(config.timeWaitNs());
            }
        }
        acceptPeerFinIfDue();
        transmitPending();
        flushAck();
    }

    /** RFC 9293 section 3.10.7.4, first check: does any part of the segment fall in the receive window? */
    private boolean isAcceptable(final TcpSegment seg)
    {
        final int window = Math.max(0, Seq.diff(rcvAdvertisedEdge, rcvNxt));
        final int length = seg.seqLength();
        final int seq = seg.seq();
        if (length == 0)
        {
            return window == 0 ? seq == rcvNxt : Seq.inRange(seq, rcvNxt, Seq.add(rcvNxt, window));
        }
        if (window == 0)
        {
            return false;
        }
        final int end = Seq.add(rcvNxt, window);
        return Seq.inRange(seq, rcvNxt, end) || Seq.inRange(Seq.add(seq, length - 1), rcvNxt, end);
    }

    /**
     * RFC 9293 section 3.10.7.4, fifth check, with RFC 5681 duplicate-ACK counting and the loss recovery of
     * RFC 6582 / RFC 6675.
     *
     * @return false when the segment must be dropped (it acknowledged something not yet sent).
     */
    private boolean processAck(final TcpSegment seg, final boolean mayCountDuplicate)
    {
        final int ack = seg.ack();
        if (Seq.after(ack, sndMax))
        {
            counters.increment(TcpCounter.ACK_OF_UNSENT);
            sendAck();
            return false;
        }
        final int previousWindow = sndWnd;
        if (Seq.afterOrAt(ack, sndUna) &&
            (Seq.before(sndWl1, seg.seq()) || sndWl1 == seg.seq() && Seq.afterOrAt(ack, sndWl2)))
        {
            sndWnd = (int)Math.min(Integer.MAX_VALUE, (long)seg.window() << options.sendWindowScale());
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = seg.seq();
            sndWl2 = ack;
        }
        final boolean windowChanged = sndWnd != previousWindow;
        if (Seq.after(ack, sndUna))
        {
            onNewAck(seg, ack);
        }
        else if (ack == sndUna && mayCountDuplicate && seg.payloadLength() == 0 &&
            !seg.has(TcpSegment.FIN) && !windowChanged && sndMax != sndUna)
        {
            dupAcks++;
            if (inRecovery && !options.sack())
            {
                // RFC 6582 section 3.2 step 4 (as RFC 5681 step 4): each further duplicate inflates the window.
                renoInflation += effectiveMss;
            }
        }
        if (options.sack() && seg.sackBlockCount() > 0)
        {
            counters.add(TcpCounter.DSACK_RECV, scoreboard.update(seg, ack, sndUna, sndMax));
        }
        maybeEnterRecovery();
        if (sndWnd > 0 && windowChanged)
        {
            persistTimer.cancel();
            persistBackoff = 0;
        }
        return true;
    }

    private void onNewAck(final TcpSegment seg, final int ack)
    {
        final int acked = Seq.diff(ack, sndUna);
        final int flightBefore = Math.max(0, Seq.diff(sndNxt, sndUna));
        sampleRtt(seg, ack);
        sndUna = ack;
        if (Seq.after(ack, sndNxt))
        {
            sndNxt = ack;
        }
        if (Seq.before(highRxt, sndUna))
        {
            highRxt = sndUna;
        }
        final int released = sendBuffer.releaseTo(releasableBefore(ack));
        scoreboard.discardBelow(ack);
        dupAcks = 0;
        consecutiveTimeouts = 0;
        persistTimer.cancel();
        persistBackoff = 0;
        if (inRecovery)
        {
            if (Seq.afterOrAt(ack, recoverSeq))
            {
                inRecovery = false;
                renoInflation = 0;
                congestionControl.onExitRecovery(Math.max(0, Seq.diff(sndNxt, sndUna)));
            }
            else if (!options.sack())
            {
                // RFC 6582 section 3.2 step 5, partial ACK: deflate, then resend the first unacknowledged segment.
                renoInflation -= acked;
                if (acked >= effectiveMss)
                {
                    renoInflation += effectiveMss;
                }
                sendAt(sndUna, Math.min(effectiveMss, Seq.diff(sndMax, sndUna)));
            }
        }
        else
        {
            congestionControl.onAck(acked, flightBefore);
        }
        // RFC 6298 section 5.2 and 5.3.
        if (sndUna == sndMax)
        {
            retransmitTimer.cancel();
        }
        else
        {
            retransmitTimer.arm(rto.rtoNs());
        }
        if (finQueued && Seq.after(ack, finSeq))
        {
            onOwnFinAcked();
        }
        owesAcked = true;
        if (released > 0)
        {
            if (writeBlocked && sendBuffer.freeSpace() >= sendBuffer.capacity() / 3)
            {
                writeBlocked = false;
                owesWritable = true;
            }
        }
    }

    private void onOwnFinAcked()
    {
        switch (state)
        {
            case FIN_WAIT_1 -> state = TcpState.FIN_WAIT_2;
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> becomeClosed(false);
            default ->
            {
                // FIN_WAIT_2 or TIME_WAIT: a repeated ACK of our FIN.
            }
        }
    }

    /** RFC 5681 section 3.2 steps 1-2, RFC 6675 section 5 (entering loss recovery), RFC 6582 section 3.2. */
    private void maybeEnterRecovery()
    {
        if (inRecovery || sndUna == sndMax || Seq.before(sndUna, recoverSeq) || !canSendData())
        {
            return;
        }
        final boolean sackSaysLost = options.sack() && !scoreboard.isEmpty() &&
            Seq.after(scoreboard.lostBoundary((DUP_THRESH - 1) * effectiveMss, sndUna), sndUna);
        if (dupAcks < DUP_THRESH && !sackSaysLost)
        {
            return;
        }
        inRecovery = true;
        recoverSeq = sndMax;
        highRxt = sndUna;
        rttTiming = false;
        counters.increment(options.sack() ? TcpCounter.SACK_RECOVERY : TcpCounter.RENO_RECOVERY);
        congestionControl.onEnterRecovery(Seq.diff(sndMax, sndUna));
        renoInflation = options.sack() ? 0 : DUP_THRESH * effectiveMss;
        final int holeEnd = scoreboard.nextSackedStart(sndUna, sndMax);
        final int consumed = sendAt(sndUna, Math.min(effectiveMss, Seq.diff(holeEnd, sndUna)));
        highRxt = Seq.add(sndUna, consumed);
    }

    private void processData(final TcpSegment seg)
    {
        if (!(state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2))
        {
            return;
        }
        int seq = seg.seq();
        int offset = seg.payloadOffset();
        int length = seg.payloadLength();
        if (Seq.before(seq, rcvNxt))
        {
            final int old = Seq.diff(rcvNxt, seq);
            noteDuplicate(seq, Seq.add(seq, Math.min(old, length)));
            if (old >= length)
            {
                return;
            }
            seq = rcvNxt;
            offset += old;
            length -= old;
        }
        final int beyond = Seq.diff(Seq.add(seq, length), rcvAdvertisedEdge);
        if (beyond > 0)
        {
            counters.add(TcpCounter.RCV_BEYOND_WINDOW, Math.min(beyond, length));
            ackNow = true;
            length -= Math.min(beyond, length);
            if (length == 0)
            {
                return;
            }
        }
        rcvMss = Math.min(config.mss(), Math.max(rcvMss, length));
        if (seq == rcvNxt)
        {
            final boolean fillsGap = !outOfOrderQueue.isEmpty();
            receiveQueue.append(seq, seg.payload(), offset, length, seg.mark());
            rcvNxt = Seq.add(seq, length);
            ReceivedChunk next;
            while ((next = outOfOrderQueue.pollInOrder(rcvNxt)) != null)
            {
                receiveQueue.append(next);
                rcvNxt = next.endSeq();
            }
            owesReadable = true;
            // RFC 5681 section 4.2: ACK at once when a segment fills a gap, else at least every 2nd full segment.
            if (fillsGap || Seq.diff(rcvNxt, lastAckSent) >= 2 * rcvMss)
            {
                ackNow = true;
            }
        }
        else
        {
            final int stored = outOfOrderQueue.insert(seq, seg.payload(), offset, length, seg.mark());
            if (stored == 0)
            {
                setDsack(seq, Seq.add(seq, length));
                counters.increment(TcpCounter.DSACK_OFO_SENT);
            }
            else
            {
                counters.increment(TcpCounter.OFO_QUEUE);
            }
            // RFC 5681 section 4.2: an out-of-order segment gets an immediate (duplicate) ACK.
            ackNow = true;
        }
    }

    /** Records duplicate data below RCV.NXT for a D-SACK block (RFC 2883 section 4). */
    private void noteDuplicate(final int start, final int end)
    {
        if (Seq.before(start, end) && Seq.beforeOrAt(end, rcvNxt) && options != null && options.sack())
        {
            setDsack(start, end);
            counters.increment(TcpCounter.DSACK_OLD_SENT);
        }
    }

    private void setDsack(final int start, final int end)
    {
        if (options.sack())
        {
            dsackPending = true;
            dsackStart = start;
            dsackEnd = end;
        }
    }

    /** Takes the peer's FIN once every byte before it has arrived (RFC 9293 section 3.10.7.4, eighth check). */
    private void acceptPeerFinIfDue()
    {
        if (!peerFinSeen || peerFinReceived || peerFinSeq != rcvNxt)
        {
            return;
        }
        peerFinReceived = true;
        rcvNxt = Seq.add(rcvNxt, 1);
        ackNow = true;
        owesReadable = true;
        switch (state)
        {
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> state = TcpState.CLOSING;
            case FIN_WAIT_2 -> enterTimeWait();
            default ->
            {
                // CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT: FIN already taken.
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Sending
    // ------------------------------------------------------------------------------------------------------------

    private boolean canSendData()
    {
        return state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.FIN_WAIT_1 ||
            state == TcpState.CLOSING || state == TcpState.LAST_ACK;
    }

    /** Sends whatever the windows allow: SACK holes first while in recovery (RFC 6675 NextSeg), then new data. */
    private void transmitPending()
    {
        if (!canSendData())
        {
            return;
        }
        while (inRecovery && options.sack() && retransmitNextHole())
        {
            // Each pass sends one hole segment while the pipe allows.
        }
        while (sendNewData())
        {
            // Each pass sends one segment (or TSO super-segment).
        }
    }

    /** Bytes the congestion window still allows: cwnd minus pipe (RFC 6675) or minus the NewReno flight. */
    private int congestionRoom()
    {
        final int cwnd = congestionControl.cwnd();
        if (inRecovery && options.sack())
        {
            return cwnd - pipe();
        }
        final int flight = Math.max(0, Seq.diff(sndNxt, sndUna));
        return inRecovery ? cwnd + renoInflation - flight : cwnd - flight;
    }

    /**
     * End of the region whose unSACKed bytes count as lost: RFC 6675 IsLost by bytes, and, while recovering, at
     * least the first segment after SND.UNA (what NewReno resends on a partial ACK).
     */
    private int lostEnd()
    {
        int end = scoreboard.isEmpty() ? sndUna :
            scoreboard.lostBoundary((DUP_THRESH - 1) * effectiveMss, sndUna);
        if (inRecovery)
        {
            end = Seq.max(end, Seq.min(scoreboard.nextSackedStart(sndUna, sndMax), Seq.add(sndUna, effectiveMss)));
        }
        return Seq.min(end, sndNxt);
    }

    /**
     * RFC 6675 section 4 SetPipe: unSACKed bytes not lost count once, lost bytes count once they have been
     * retransmitted (below HighRxt).
     */
    private int pipe()
    {
        final int lost = lostEnd();
        final int notLost = scoreboard.unsackedBytes(lost, sndNxt);
        final int retransmitted = scoreboard.unsackedBytes(sndUna, Seq.min(highRxt, lost));
        return notLost + retransmitted;
    }

    private boolean retransmitNextHole()
    {
        if (congestionRoom() <= 0)
        {
            return false;
        }
        final int lost = lostEnd();
        final int start = scoreboard.skipSacked(Seq.max(highRxt, sndUna));
        if (!Seq.before(start, lost))
        {
            return false;
        }
        final int end = Seq.min(scoreboard.nextSackedStart(start, lost), Seq.add(start, effectiveMss));
        final int consumed = sendAt(start, Seq.diff(end, start));
        if (consumed == 0)
        {
            return false;
        }
        highRxt = Seq.add(start, consumed);
        return true;
    }

    private boolean sendNewData()
    {
        if (Seq.before(sndNxt, sndMax))
        {
            // After a timeout: go back N, but never resend what the peer SACKed.
            sndNxt = Seq.min(scoreboard.skipSacked(sndNxt), sndMax);
        }
        final int available = Math.max(0, Seq.diff(sendBuffer.tailSeq(), sndNxt));
        final boolean finDue = finQueued && sndNxt == finSeq;
        if (available == 0 && !finDue)
        {
            return false;
        }
        final int congestion = congestionRoom();
        if (congestion <= 0)
        {
            return false;
        }
        final int windowRoom = Seq.diff(Seq.add(sndUna, sndWnd), sndNxt);
        final int maxSegment = config.tso() ? Math.max(effectiveMss, config.tsoMaxBytes() / effectiveMss *
            effectiveMss) : effectiveMss;
        int length = Math.min(available, Math.min(maxSegment, roundUpToMss(congestion)));
        if (Seq.before(sndNxt, sndMax))
        {
            length = Math.min(length, Seq.diff(scoreboard.nextSackedStart(sndNxt, sndMax), sndNxt));
        }
        if (length > windowRoom)
        {
            length = Math.max(0, windowRoom);
            // Sender silly-window avoidance (RFC 9293 section 3.8.6.2.1): wait rather than send a runt.
            if (length < effectiveMss && length < available && length < maxSndWnd / 2)
            {
                length = 0;
            }
        }
        if (config.nagle() && length < effectiveMss && length == available && sndUna != sndNxt && !finDue)
        {
            // Nagle (RFC 9293 section 3.7.4): a runt waits until what is in flight is acknowledged.
            return false;
        }
        if (length == 0 && available > 0)
        {
            maybeArmPersist();
            return false;
        }
        final int consumed = sendAt(sndNxt, length);
        sndNxt = Seq.add(sndNxt, consumed);
        return consumed > 0;
    }

    private int roundUpToMss(final int bytes)
    {
        return (int)Math.min(Integer.MAX_VALUE, ((long)bytes + effectiveMss - 1) / effectiveMss * effectiveMss);
    }

    /**
     * Emits one data segment (or TSO super-segment) at {@code seq} with up to {@code maxDataLength} bytes from
     * the send buffer, with FIN when it ends where the FIN goes. It counts a retransmission when {@code seq} was
     * sent before; moving SND.NXT is the caller's business.
     *
     * @return sequence space the segment occupies, 0 when there was nothing to send.
     */
    private int sendAt(final int seq, final int maxDataLength)
    {
        final int dataLength = Math.max(0, Math.min(maxDataLength, Seq.diff(sendBuffer.tailSeq(), seq)));
        final boolean fin = finQueued && Seq.add(seq, dataLength) == finSeq;
        if (dataLength == 0 && !fin)
        {
            return 0;
        }
        // Lent in place when the sink copies during the call and the bytes do not wrap round the ring.
        final int lentIndex = sink.lendsPayload() && dataLength > 0 ? sendBuffer.contiguousIndex(seq, dataLength) : -1;
        final byte[] payload = lentIndex >= 0 ? sendBuffer.array() : new byte[dataLength];
        final int payloadIndex = Math.max(lentIndex, 0);
        if (lentIndex < 0)
        {
            sendBuffer.copy(seq, payload, 0, dataLength);
        }
        int flags = TcpSegment.ACK;
        if (fin)
        {
            flags |= TcpSegment.FIN;
        }
        if (dataLength > 0 && Seq.add(seq, dataLength) == sendBuffer.tailSeq())
        {
            flags |= TcpSegment.PSH;
        }
        final int frames = Math.max(1, (dataLength + effectiveMss - 1) / effectiveMss);
        final TcpSegment.Builder b = header(seq, flags).payload(payload, payloadIndex, dataLength);
        if (dataLength > effectiveMss)
        {
            b.tsoMss(effectiveMss);
        }
        final int seqLength = dataLength + (fin ? 1 : 0);
        final int end = Seq.add(seq, seqLength);
        if (Seq.before(seq, sndMax))
        {
            counters.add(TcpCounter.RETRANS_SEGS, frames);
            if (inRecovery)
            {
                counters.add(TcpCounter.FAST_RETRANS, frames);
            }
            rttTiming = false;
        }
        else if (!options.timestamps())
        {
            startRttTiming(seq);
        }
        if (Seq.after(end, sndMax))
        {
            sndMax = end;
        }
        emit(b, frames);
        if (!retransmitTimer.isArmed())
        {
            retransmitTimer.arm(rto.rtoNs());
        }
        return seqLength;
    }

    private void startRttTiming(final int seq)
    {
        if (!rttTiming)
        {
            rttTiming = true;
            rttSeq = seq;
            rttStartNs = scheduler.nowNs();
        }
    }

    /**
     * RTT from the timestamp echo (RFC 7323 section 4) or from one timed segment (RFC 6298 section 3, Karn). An
     * echo older than the last timeout is not used: the peer answers a duplicate of data whose ACK was lost by
     * echoing the original's TSval (RFC 7323 section 4.3 keeps TS.Recent for out-of-window segments), which would
     * count the whole timeout as round-trip time and ratchet the RTO up to its maximum under heavy loss.
     */
    private void sampleRtt(final TcpSegment seg, final int ack)
    {
        if (options != null && options.timestamps() && seg.hasTimestamps() && seg.tsEcr() != 0)
        {
            if (timedOut && Seq.before(seg.tsEcr(), tsAtLastTimeout))
            {
                rttTiming = false;
                return;
            }
            final int rttMs = tsNow() - seg.tsEcr();
            if (rttMs >= 0)
            {
                rto.onSample(rttMs * MS);
            }
            rttTiming = false;
        }
        else if (rttTiming && Seq.after(ack, rttSeq))
        {
            rto.onSample(scheduler.nowNs() - rttStartNs);
            rttTiming = false;
        }
    }

    private void sendAck()
    {
        emit(header(sndNxt, TcpSegment.ACK), 1);
    }

    /** Sends the ACK owed now, if no data segment carried it already; else arms the delayed-ACK timer. */
    private void flushAck()
    {
        if (!state.isSynchronized() && state != TcpState.SYN_RECEIVED)
        {
            return;
        }
        if (ackNow)
        {
            sendAck();
        }
        else if (rcvNxt != lastAckSent && !delayedAckTimer.isArmed())
        {
            delayedAckTimer.arm(config.delayedAckNs());
        }
    }

    private void emitSyn(final boolean withAck)
    {
        final TcpSegment.Builder b = TcpSegment.builder()
            .ports(localPort, remotePort)
            .seq(iss)
            .flags(TcpSegment.SYN | (withAck ? TcpSegment.ACK : 0))
            .window(Math.min(config.receiveBufferCapacity(), 0xFFFF))
            .mss(config.mss());
        // A SYN-ACK carries an option only if the SYN did (RFC 7323 section 2.2 and 3.2, RFC 2018 section 2).
        if (withAck)
        {
            b.ack(rcvNxt);
            if (config.windowScaling() && peerOfferedWindowScale)
            {
                b.windowScale(config.receiveWindowScale());
            }
            b.sackPermitted(options.sack());
            if (options.timestamps())
            {
                b.timestamps(tsNow(), tsRecent);
            }
            rcvAdvertisedEdge = Seq.add(rcvNxt, Math.min(config.receiveBufferCapacity(), 0xFFFF));
            lastAckSent = rcvNxt;
        }
        else
        {
            b.windowScale(config.receiveWindowScale());
            b.sackPermitted(config.sack());
            if (config.timestamps())
            {
                b.timestamps(tsNow(), 0);
            }
        }
        if (synSent)
        {
            counters.increment(TcpCounter.RETRANS_SEGS);
        }
        synSent = true;
        emitRaw(b.build(), 1);
    }

    /** Header of a non-SYN segment: ports, seq, ACK, window, timestamps, SACK blocks. */
    private TcpSegment.Builder header(final int seq, final int flags)
    {
        final TcpSegment.Builder b = TcpSegment.builder().ports(localPort, remotePort).seq(seq).flags(flags)
            .ack(rcvNxt).window(selectWindowField());
        if (options.timestamps())
        {
            b.timestamps(tsNow(), tsRecent);
        }
        if (options.sack())
        {
            final int maxBlocks = options.timestamps() ? TcpSegment.MAX_SACK_BLOCKS - 1 : TcpSegment.MAX_SACK_BLOCKS;
            int n = 0;
            if (dsackPending)
            {
                sackOut[0] = dsackStart;
                sackOut[1] = dsackEnd;
                n = 1;
            }
            n += outOfOrderQueue.sackBlocks(rcvNxt, maxBlocks - n, sackOut, 2 * n);
            if (n > 0)
            {
                final int[] blocks = new int[2 * n];
                System.arraycopy(sackOut, 0, blocks, 0, 2 * n);
                b.sackBlocks(blocks);
            }
        }
        return b;
    }

    private void emit(final TcpSegment.Builder b, final int frames)
    {
        final TcpSegment segment = b.build();
        if (segment.has(TcpSegment.ACK))
        {
            lastAckSent = rcvNxt;
            ackNow = false;
            dsackPending = false;
            delayedAckTimer.cancel();
        }
        emitRaw(segment, frames);
    }

    private void emitRaw(final TcpSegment segment, final int frames)
    {
        counters.add(TcpCounter.OUT_SEGS, frames);
        sink.send(segment);
    }

    /** Answers a segment that has no business here with a RST (RFC 9293 section 3.10.7.1). */
    private void resetFor(final TcpSegment seg)
    {
        if (seg.has(TcpSegment.ACK))
        {
            emitReset(seg.ack(), 0, false);
        }
        else
        {
            emitReset(0, Seq.add(seg.seq(), seg.seqLength()), true);
        }
    }

    private void emitReset(final int seq, final int ack, final boolean withAck)
    {
        counters.increment(TcpCounter.OUT_RSTS);
        emitRaw(TcpSegment.builder().ports(localPort, remotePort).seq(seq).ack(ack)
            .flags(TcpSegment.RST | (withAck ? TcpSegment.ACK : 0)).build(), 1);
    }

    /**
     * The receive window to advertise, as the 16-bit field. The right edge never moves left (RFC 9293 section
     * 3.8.6.2.2 "shrinking the window is strongly discouraged"), and moves right only by at least
     * min(buffer / 2, MSS) (receiver silly-window avoidance, same section).
     */
    private int selectWindowField()
    {
        final int scale = options.receiveWindowScale();
        final int promised = Math.max(0, Seq.diff(rcvAdvertisedEdge, rcvNxt));
        final int free = Math.max(0, config.receiveBufferCapacity() - receiveQueue.readableBytes());
        int window = Math.min(free, 0xFFFF << scale);
        if (window - promised < Math.min(config.receiveBufferCapacity() / 2, config.mss()))
        {
            window = promised;
        }
        final int field = Math.min(0xFFFF, (window + (1 << scale) - 1) >> scale);
        final int edge = Seq.add(rcvNxt, field << scale);
        if (Seq.after(edge, rcvAdvertisedEdge))
        {
            rcvAdvertisedEdge = edge;
        }
        return field;
    }

    /** After the application read: announce a window that at least doubled (as Linux tcp_cleanup_rbuf). */
    private void afterRead()
    {
        if (state.isSynchronized() && !peerFinReceived)
        {
            final int promised = Math.max(0, Seq.diff(rcvAdvertisedEdge, rcvNxt));
            final int free = Math.max(0, config.receiveBufferCapacity() - receiveQueue.readableBytes());
            if (free >= 2 * promised && free - promised >= Math.min(config.receiveBufferCapacity() / 2, config.mss()))
            {
                sendAck();
            }
        }
        fireUpcalls();
    }

    private int tsNow()
    {
        return (int)(scheduler.nowNs() / MS) + tsOffset;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Timers
    // ------------------------------------------------------------------------------------------------------------

    /** RFC 6298 section 5.4-5.6: back off, resend the earliest unacknowledged data, restart the timer. */
    private void onRetransmitTimeout()
    {
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED)
        {
            if (++consecutiveTimeouts > config.maxRetransmissions())
            {
                counters.increment(TcpCounter.ABORT_ON_TIMEOUT);
                becomeClosed(true);
            }
            else
            {
                rto.backOff();
                rttTiming = false;
                emitSyn(state == TcpState.SYN_RECEIVED);
                retransmitTimer.arm(rto.rtoNs());
            }
            fireUpcalls();
            return;
        }
        if (!canSendData() || sndUna == sndMax)
        {
            return;
        }
        if (++consecutiveTimeouts > config.maxRetransmissions())
        {
            counters.increment(TcpCounter.ABORT_ON_TIMEOUT);
            emitReset(sndNxt, 0, false);
            becomeClosed(true);
            fireUpcalls();
            return;
        }
        counters.increment(TcpCounter.TIMEOUTS);
        timedOut = true;
        tsAtLastTimeout = tsNow();
        congestionControl.onRetransmitTimeout(Seq.diff(sndMax, sndUna));
        inRecovery = false;
        renoInflation = 0;
        recoverSeq = sndMax;
        dupAcks = 0;
        rto.backOff();
        rttTiming = false;
        highRxt = sndUna;
        // The earliest segment goes out even into a closed window (as Linux does for the head), so that the
        // peer answers with its window; it never exceeds what was sent before, hence never the peer's window.
        final int consumed = sendAt(sndUna, Math.min(effectiveMss, Seq.diff(sndMax, sndUna)));
        sndNxt = Seq.add(sndUna, consumed);
        transmitPending();
        retransmitTimer.arm(rto.rtoNs());
        fireUpcalls();
    }

    private void onDelayedAckTimeout()
    {
        if (state.isSynchronized() && rcvNxt != lastAckSent)
        {
            counters.increment(TcpCounter.DELAYED_ACKS);
            sendAck();
        }
    }

    private void maybeArmPersist()
    {
        if (sndUna == sndMax && !persistTimer.isArmed())
        {
            persistTimer.arm(Math.min(config.maxRtoNs(), rto.rtoNs() << Math.min(persistBackoff, 20)));
        }
    }

    /**
     * Persist timer (RFC 9293 section 3.8.6.1): with a zero window, probe with an old sequence number, which the
     * peer must answer with an ACK carrying its window (as Linux tcp_xmit_probe_skb does, so a probe never puts a
     * byte beyond the window); with a small window, send what fits (the silly-window override).
     */
    private void onPersistTimeout()
    {
        if (!canSendData() || sndUna != sndMax || Seq.diff(sendBuffer.tailSeq(), sndNxt) <= 0)
        {
            return;
        }
        final int windowRoom = Seq.diff(Seq.add(sndUna, sndWnd), sndNxt);
        if (windowRoom > 0)
        {
            final int consumed = sendAt(sndNxt, Math.min(windowRoom, effectiveMss));
            sndNxt = Seq.add(sndNxt, consumed);
        }
        else
        {
            counters.increment(TcpCounter.WIN_PROBE);
            emit(header(Seq.add(sndUna, -1), TcpSegment.ACK), 1);
            persistBackoff++;
            maybeArmPersist();
        }
        fireUpcalls();
    }

    private void enterTimeWait()
    {
        state = TcpState.TIME_WAIT;
        retransmitTimer.cancel();
        persistTimer.cancel();
        timeWaitTimer.arm(config.timeWaitNs());
    }

    private void onTimeWaitTimeout()
    {
        if (state == TcpState.TIME_WAIT)
        {
            becomeClosed(false);
            fireUpcalls();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // State changes and upcalls
    // ------------------------------------------------------------------------------------------------------------

    private void startSendSpace(final int initialSeq)
    {
        iss = initialSeq;
        sndUna = initialSeq;
        sndNxt = Seq.add(initialSeq, 1);
        sndMax = sndNxt;
        recoverSeq = initialSeq;
        highRxt = initialSeq;
        sendBuffer.reset(sndNxt);
        // Deterministic per-connection timestamp offset, in the spirit of RFC 7323 section 5.4.
        tsOffset = initialSeq * 0x9E3779B1;
    }

    private void startReceiveSpace(final int initialSeq)
    {
        irs = initialSeq;
        rcvNxt = Seq.add(initialSeq, 1);
        lastAckSent = rcvNxt;
        rcvAdvertisedEdge = rcvNxt;
        receiveQueue.reset(rcvNxt);
    }

    /** Settles the options from the peer's SYN (or SYN-ACK) and what this side offers. */
    private void negotiate(final TcpSegment syn)
    {
        peerOfferedWindowScale = syn.windowScale() >= 0;
        final boolean scaling = config.windowScaling() && peerOfferedWindowScale;
        final boolean timestamps = config.timestamps() && syn.hasTimestamps();
        options = new NegotiatedOptions(Math.min(syn.mss() > 0 ? syn.mss() : DEFAULT_MSS, config.mss()),
            scaling ? Math.min(14, syn.windowScale()) : 0, scaling ? config.receiveWindowScale() : 0,
            config.sack() && syn.sackPermitted(), timestamps);
        if (timestamps)
        {
            tsRecent = syn.tsVal();
        }
    }

    private void becomeEstablished()
    {
        if (synSent && consecutiveTimeouts > 0)
        {
            rto.afterSynTimeout(SYN_TIMEOUT_FLOOR_NS);
        }
        state = TcpState.ESTABLISHED;
        effectiveMss = options.sendMss() - (options.timestamps() ? TIMESTAMP_OPTION_LENGTH : 0);
        rcvMss = Math.min(DEFAULT_MSS, config.mss());
        congestionControl.init(effectiveMss, config.initialWindowSegments() * effectiveMss);
        owesEstablished = true;
    }

    private void becomeClosed(final boolean reset)
    {
        state = TcpState.CLOSED;
        retransmitTimer.cancel();
        delayedAckTimer.cancel();
        persistTimer.cancel();
        timeWaitTimer.cancel();
        owesClosed = true;
        closedByReset = reset;
    }

    private void requireState(final TcpState expected, final String call)
    {
        if (state != expected)
        {
            throw new IllegalStateException(call + " on connection " + localPort + ">" + remotePort + " in state " +
                state + ", needs " + expected);
        }
    }

    private void fireUpcalls()
    {
        if (firing)
        {
            return;
        }
        firing = true;
        try
        {
            while (owesEstablished || owesReadable || owesAcked || owesWritable || owesClosed)
            {
                if (owesEstablished)
                {
                    owesEstablished = false;
                    listener.onEstablished(this);
                }
                else if (owesAcked)
                {
                    owesAcked = false;
                    listener.onAcked(this, sndUna);
                }
                else if (owesReadable)
                {
                    owesReadable = false;
                    listener.onReadable(this);
                }
                else if (owesWritable)
                {
                    owesWritable = false;
                    listener.onWritable(this);
                }
                else
                {
                    owesClosed = false;
                    listener.onClosed(this, closedByReset);
                }
            }
        }
        finally
        {
            firing = false;
        }
    }
}
