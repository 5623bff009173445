package io.tlsnic.stack.tls;

/**
 * What the kTLS layer needs from the TCP connection under it, and nothing more: the narrow seam between
 * {@code stack.tls} and {@code stack.tcp} (Linux: the {@code sk_prot}/{@code sk_data_ready}/{@code sk_write_space}
 * hooks that {@code tls_main.c} swaps in when the ULP attaches).
 * <p>
 * Sequence numbers are TCP sequence numbers: unsigned 32-bit values carried in a {@code long}, always in
 * {@code [0, 2^32)}, that wrap; compare them wrap-aware, never with {@code <}.
 * <p>
 * Readable bytes are exposed as the chunks the receive queue holds. Each chunk carries the device mark of the
 * packet it came from ({@link #MARK_NONE}, {@link #MARK_DECRYPTED}, {@link #MARK_DECRYPT_FAILED}); the TCP
 * model never merges chunks with different marks (Linux: {@code tcp_try_coalesce} refuses to coalesce skbs whose
 * {@code skb->decrypted} differ), so the TLS layer can tell per byte range what the device did.
 * <p>
 * Threading: one thread drives a transport and its listener (the deterministic scheduler, or a host agent);
 * listener callbacks run on that thread, never re-entrantly from inside a call the listener made.
 */
public interface TcpTransport
{
    /** Chunk mark: the device did not touch these bytes (no RX offload, or not decrypted). */
    int MARK_NONE = 0;
    /** Chunk mark: the device decrypted and authenticated every record part in the packet. */
    int MARK_DECRYPTED = 1;
    /** Chunk mark: the device tried and failed (authentication); the bytes are the unmodified ciphertext. */
    int MARK_DECRYPT_FAILED = 2;

    /** @return whether the connection is ESTABLISHED (kTLS attaches only then: {@code tls_init} ENOTCONN). */
    boolean isEstablished();

    /**
     * Appends bytes to the send buffer.
     *
     * @param b   source.
     * @param off first byte.
     * @param len bytes offered.
     * @return bytes accepted, {@code 0..len}; fewer than {@code len} when the send buffer is full.
     */
    int send(byte[] b, int off, int len);

    /**
     * Where the next {@code len} bytes can be written straight into the send buffer, so that a record is built where
     * TCP sends it from (Linux: the record's pages become the socket's, no second copy): an index in
     * {@link #sendBufferArray()}, or -1 when that is not possible now (then {@link #send} copies).
     *
     * @param len bytes to write.
     * @return index, or -1.
     */
    default int sendInPlaceIndex(final int len)
    {
        return -1;
    }

    /** @return the send buffer's array, for {@link #sendInPlaceIndex(int)}. */
    default byte[] sendBufferArray()
    {
        throw new UnsupportedOperationException("this transport does not lend its send buffer");
    }

    /**
     * Queues the {@code len} bytes written at {@link #sendInPlaceIndex(int)}; nothing else may be sent between the two
     * calls. The bytes stay where they were written until the peer acknowledges them.
     *
     * @param len bytes written.
     */
    default void sendInPlace(final int len)
    {
        throw new UnsupportedOperationException("this transport does not lend its send buffer");
    }

    /**
     * Keeps acknowledged bytes in the send buffer while the layer above still needs them where they are: records
     * built in place ({@link #sendInPlaceIndex}) that the peer acknowledged only in part must stay whole, for a
     * retransmission of their rest is re-encrypted from their start (Linux: the record list holds the pages).
     *
     * @param pin given the new SND.UNA, the first seq whose bytes must stay (at most SND.UNA); null: none.
     */
    default void setSendBufferPin(final java.util.function.LongUnaryOperator pin)
    {
        // A transport without in-place sends has nothing to pin.
    }

    /** @return bytes {@link #send} would accept right now (free send-buffer space), never negative. */
    int sendSpace();

    /** @return TCP sequence number of the next byte {@link #send} will accept (Linux {@code tp->write_seq}). */
    long writeSeq();

    /** @return bytes received in order and not yet consumed. */
    int readableBytes();

    /**
     * Visits the readable chunks in order, starting at the first unconsumed byte, without consuming anything.
     * The first chunk may be a partly consumed one: the visitor then sees only its unconsumed tail, with the
     * sequence number of that tail. The arrays are the transport's: read them during the call, never keep them.
     *
     * @param visitor called per chunk until it returns {@code false} or the chunks run out.
     */
    void forEachReadableChunk(ChunkVisitor visitor);

    /**
     * Consumes bytes from the head of the readable bytes (Linux {@code tcp_read_done}/{@code tcp_rcv_space_adjust}:
     * the receive window reopens).
     *
     * @param n bytes, at most {@link #readableBytes()}.
     */
    void consume(int n);

    /** @return whether the peer's FIN has been received (in order, after all readable bytes). */
    boolean finReceived();

    /** Sends FIN after the bytes already accepted ({@code shutdown(SHUT_WR)}). */
    void shutdownOutput();

    /** Closes the connection: FIN after the bytes already accepted, then the endpoint is released. */
    void close();

    /**
     * Installs the one listener (the TLS layer, as {@code tls_main.c} replaces the socket callbacks).
     *
     * @param listener the listener, or {@code null} to remove it.
     */
    void setListener(Listener listener);

    /**
     * @return the device under this connection with its TLS offload operations and the connection's addresses, or
     *     null when there is no device that offloads TLS (then every direction runs in software).
     */
    default DeviceBinding deviceBinding()
    {
        return null;
    }

    /** @return TCP seq of the first byte not yet consumed ({@code copied_seq}), or -1 when unknown. */
    default long readSeq()
    {
        return -1;
    }

    /**
     * Marks this connection's outgoing payload for the device's TX offload (null: none), as {@code skb->sk}'s TLS
     * context tells a driver in Linux.
     *
     * @param offload the socket's TX offload state.
     */
    default void setTxOffload(final io.tlsnic.stack.dev.TlsTxOffload offload)
    {
        throw new UnsupportedOperationException("this transport has no device");
    }

    /**
     * A device that can offload TLS, as a transport sees it.
     *
     * @param ops add / del / resync.
     * @param capabilities what it offloads.
     * @param flow the connection from this host's side.
     */
    record DeviceBinding(io.tlsnic.stack.dev.TlsDeviceOps ops,
        io.tlsnic.stack.dev.TlsOffloadCapabilities capabilities, io.tlsnic.stack.dev.FlowTuple flow)
    {
    }

    /** One readable chunk, as {@link #forEachReadableChunk} presents it. */
    @FunctionalInterface
    interface ChunkVisitor
    {
        /**
         * @param seq    TCP sequence number of {@code buffer[offset]}.
         * @param buffer chunk bytes (the transport's own array).
         * @param offset first unconsumed byte of the chunk.
         * @param length unconsumed bytes of the chunk, at least 1.
         * @param mark   device mark of the chunk, one of the {@code MARK_*} constants.
         * @return {@code true} to see the next chunk, {@code false} to stop.
         */
        boolean onChunk(long seq, byte[] buffer, int offset, int length, int mark);
    }

    /** Transport events the TLS layer reacts to (Linux {@code sk_data_ready}, {@code clean_acked}, {@code sk_write_space}). */
    interface Listener
    {
        /** New bytes (or the FIN) became readable. */
        void onReadable();

        /**
         * The peer acknowledged more data (Linux {@code icsk_clean_acked}, used by the device TX record list).
         *
         * @param sndUna the new first unacknowledged sequence number.
         */
        void onAckAdvanced(long sndUna);

        /** Send-buffer space was freed. */
        void onWritable();
    }
}
