package io.tlsnic.nic.stats;

/**
 * The device's counters, in the manner of Aeron's {@code SystemCounterDescriptor}: each constant is a descriptor
 * with a stable id (its position in the register window and in {@link NicCounterSet}), the label the device
 * reports (OFFLOAD-CONTRACT section 6, mlx5 {@code ethtool -S} names), and the one writer allowed to move it.
 * <p>
 * Identities that must hold once the data path exists: {@code rx_tls_resync_req_start = rx_tls_resync_req_end +
 * rx_tls_resync_req_skip (+ in flight)}; {@code rx_tls_ctx - rx_tls_del} = RX contexts installed now.
 */
public enum NicCounters
{
    // ---- RX TLS offload (tls-offload.rst minimum + mlx5) ----

    /** Packets whose every TLS record part was decrypted and, where the tag was in the packet, authenticated. */
    RX_TLS_DECRYPTED_PACKETS(0, "rx_tls_decrypted_packets", Writer.DEVICE),
    /** TLS payload bytes decrypted by the device in packets marked decrypted. */
    RX_TLS_DECRYPTED_BYTES(1, "rx_tls_decrypted_bytes", Writer.DEVICE),
    /** RX TLS contexts installed (cumulative). */
    RX_TLS_CTX(2, "rx_tls_ctx", Writer.DEVICE),
    /** RX TLS contexts removed (cumulative). */
    RX_TLS_DEL(3, "rx_tls_del", Writer.DEVICE),
    /** Packets that carried a resync request to the host (completion status 2). */
    RX_TLS_RESYNC_REQ_PKT(4, "rx_tls_resync_req_pkt", Writer.DEVICE),
    /** Resync requests started (a header candidate latched while SEARCHING). */
    RX_TLS_RESYNC_REQ_START(5, "rx_tls_resync_req_start", Writer.DEVICE),
    /** Resync requests ended with an answer from the host. */
    RX_TLS_RESYNC_REQ_END(6, "rx_tls_resync_req_end", Writer.DEVICE),
    /** Resync requests abandoned (cancelled or superseded) without an answer. */
    RX_TLS_RESYNC_REQ_SKIP(7, "rx_tls_resync_req_skip", Writer.DEVICE),
    /** Resync answers (UPDATE_RESYNC commands) applied. */
    RX_TLS_RESYNC_RES_OK(8, "rx_tls_resync_res_ok", Writer.DEVICE),
    /** Resync answers that had to be retried (device not ready for them yet). */
    RX_TLS_RESYNC_RES_RETRY(9, "rx_tls_resync_res_retry", Writer.DEVICE),
    /** Resync answers ignored (stale: the context had already moved on). */
    RX_TLS_RESYNC_RES_SKIP(10, "rx_tls_resync_res_skip", Writer.DEVICE),
    /** RX TLS errors: authentication failures and malformed records seen by the engine. */
    RX_TLS_ERR(11, "rx_tls_err", Writer.DEVICE),

    // ---- TX TLS offload ----

    /** Packets encrypted by the device. */
    TX_TLS_ENCRYPTED_PACKETS(12, "tx_tls_encrypted_packets", Writer.DEVICE),
    /** TLS payload bytes encrypted by the device. */
    TX_TLS_ENCRYPTED_BYTES(13, "tx_tls_encrypted_bytes", Writer.DEVICE),
    /** TX TLS contexts installed (cumulative). */
    TX_TLS_CTX(14, "tx_tls_ctx", Writer.DEVICE),
    /** TX TLS contexts removed (cumulative). */
    TX_TLS_DEL(15, "tx_tls_del", Writer.DEVICE),
    /** TX segments whose TCP seq was not the one the context expected (retransmission or jump). */
    TX_TLS_OOO(16, "tx_tls_ooo", Writer.DEVICE),
    /** Packets fed through the engine without being sent, to rebuild state for a retransmission (DUMP). */
    TX_TLS_DUMP_PACKETS(17, "tx_tls_dump_packets", Writer.DEVICE),
    /** Bytes fed through the engine by DUMP rebuilds. */
    TX_TLS_DUMP_BYTES(18, "tx_tls_dump_bytes", Writer.DEVICE),
    /** Bytes re-read by DMA to resynchronise TX state. */
    TX_TLS_RESYNC_BYTES(19, "tx_tls_resync_bytes", Writer.HOST),
    /** Segments entirely before the offload start marker, sent unmodified. */
    TX_TLS_SKIP_NO_SYNC_DATA(20, "tx_tls_skip_no_sync_data", Writer.HOST),
    /** Segments dropped because the record data needed to resync was not available. */
    TX_TLS_DROP_NO_SYNC_DATA(21, "tx_tls_drop_no_sync_data", Writer.HOST),
    /** Segments dropped because a bypass (resync) request was pending. */
    TX_TLS_DROP_BYPASS_REQ(22, "tx_tls_drop_bypass_req", Writer.DEVICE),

    // ---- generic device counters ----

    /** Frames received from the wire. */
    RX_PACKETS(23, "rx_packets", Writer.DEVICE),
    /** Frames sent to the wire. */
    TX_PACKETS(24, "tx_packets", Writer.DEVICE),
    /** Received frames with a bad IP or L4 checksum (no TLS processing was attempted, tls-offload.rst). */
    RX_CSUM_BAD(25, "rx_csum_bad", Writer.DEVICE),
    /** Received frames dropped because no RX buffer was posted. */
    RX_DROPPED_NO_BUFFER(26, "rx_dropped_no_buffer", Writer.DEVICE),
    /** DMA reads or writes to an address/length outside every host memory region. */
    DMA_ERRORS(27, "dma_errors", Writer.DEVICE),
    /** MMIO writes refused: read-only, unaligned, out of range, unknown or with an illegal value. */
    REG_WRITE_ILLEGAL(28, "reg_write_illegal", Writer.HOST),
    /** MMIO reads of an unaligned, out-of-range or unknown register (they read as zero). */
    REG_READ_ILLEGAL(29, "reg_read_illegal", Writer.HOST),
    /** Context cache look-ups that found the expanded cipher state on chip. */
    CTX_CACHE_HIT(30, "ctx_cache_hit", Writer.DEVICE),
    /** Context cache look-ups that had to expand the key from the context table slot. */
    CTX_CACHE_MISS(31, "ctx_cache_miss", Writer.DEVICE),
    /** Cached contexts evicted to make room (least recently used first). */
    CTX_CACHE_EVICT(32, "ctx_cache_evict", Writer.DEVICE),
    /** Evictions that hit a context in the middle of a record: that flow needs a rebuild or resync. */
    CTX_CACHE_EVICT_MID_RECORD(33, "ctx_cache_evict_mid_record", Writer.DEVICE),
    /** Installs refused because the context table was full. */
    CTX_TABLE_FULL(34, "ctx_table_full", Writer.DEVICE),
    /** Installs refused because the version x cipher pair is not offloaded by this device. */
    CTX_UNSUPPORTED(35, "ctx_unsupported", Writer.DEVICE),
    /** Control commands completed (any status). */
    CTRL_COMMANDS(36, "ctrl_commands", Writer.DEVICE),
    /** Control commands completed with BAD_COMMAND (unknown opcode, bad key block, unknown or duplicate id). */
    CTRL_BAD_COMMAND(37, "ctrl_bad_command", Writer.DEVICE),
    /** Interrupts raised by the completion-queue moderation timers and thresholds. */
    INTERRUPTS(38, "interrupts", Writer.DEVICE),
    /** TLS-tagged TX descriptors naming no installed TX context, or not a TCP frame: dropped (shadow counter). */
    TX_TLS_DROP_NO_CTX(39, "tx_tls_drop_no_ctx", Writer.DEVICE),
    /** TLS-tagged TX segments whose records the engine could not carry (invalid header): dropped (shadow). */
    TX_TLS_DROP_ERROR(40, "tx_tls_drop_error", Writer.DEVICE),
    /** Frames put on the link (after TSO). */
    TX_FRAMES(41, "tx_frames", Writer.DEVICE);

    /** Which side of the device writes a counter; exactly one thread does, so increments need no atomics. */
    public enum Writer
    {
        /** The device agent (its own thread in threaded mode). */
        DEVICE,
        /** The host thread that performs MMIO accesses (the driver). */
        HOST
    }

    private static final NicCounters[] BY_ID = values();

    private final int id;
    private final String label;
    private final Writer writer;

    NicCounters(final int id, final String label, final Writer writer)
    {
        this.id = id;
        this.label = label;
        this.writer = writer;
    }

    /** @return stable id: index in {@link NicCounterSet} and in the counter register window. */
    public int id()
    {
        return id;
    }

    /** @return the device name, e.g. {@code rx_tls_decrypted_packets}. */
    public String label()
    {
        return label;
    }

    /** @return the one writer of this counter. */
    public Writer writer()
    {
        return writer;
    }

    /**
     * @param id counter id.
     * @return the descriptor, or {@code null} when no counter has this id.
     */
    public static NicCounters get(final int id)
    {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** @return the number of counters. */
    public static int count()
    {
        return BY_ID.length;
    }
}
