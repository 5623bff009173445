package io.tlsnic.driver;

/** What the driver counts (no Linux names exist for most of these; labels follow ethtool's style). */
public enum DriverCounter
{
    /** Transmits refused because the TX ring was full (the stack kept the packet). */
    TX_RING_FULL("tx_ring_full"),
    /** Packets of a TLS context held until the device completed its install. */
    TX_HELD_FOR_INSTALL("tx_held_for_install"),
    /** Held packets dropped because the install failed in the device (never sent in clear). */
    TX_DROPPED_INSTALL_FAILED("tx_dropped_install_failed"),
    /** Received frames the device flagged with a bad checksum: dropped. */
    RX_CSUM_BAD_DROPPED("rx_csum_bad_dropped"),
    /** Frames delivered marked decrypted. */
    RX_MARKED_DECRYPTED("rx_marked_decrypted"),
    /** Frames delivered marked decrypt-failed. */
    RX_MARKED_DECRYPT_FAILED("rx_marked_decrypt_failed"),
    /** Resync requests passed to the stack. */
    RX_RESYNC_REQUESTS("rx_resync_requests"),
    /** add() refused: table full. */
    TLS_ADD_NO_SPACE("tls_add_no_space"),
    /** add() refused: version, cipher or direction not offloaded. */
    TLS_ADD_UNSUPPORTED("tls_add_unsupported"),
    /** Contexts installed by the device. */
    TLS_INSTALLED("tls_installed"),
    /** TLS segments not at the context's expected seq (retransmissions, jumps). */
    TX_TLS_OUT_OF_SEQ("tx_tls_out_of_seq"),
    /** Segments encrypted by the stack's software fallback and sent without offload. */
    TX_TLS_FALLBACK_PACKETS("tx_tls_fallback_packets"),
    /** Bytes of those segments. */
    TX_TLS_FALLBACK_BYTES("tx_tls_fallback_bytes"),
    /** Context moves to the next record boundary after a forward jump (next-record sync). */
    TX_TLS_NEXT_RECORD_SYNC("tx_tls_next_record_sync"),
    /** Connections moved to software TX for good by the retransmission-share policy. */
    TX_TLS_SW_POLICY("tx_tls_sw_policy"),
    /** Control commands the device completed with an error. */
    CTRL_FAILED("ctrl_failed");

    private final String label;

    DriverCounter(final String label)
    {
        this.label = label;
    }

    /** @return the name shown in reports. */
    public String label()
    {
        return label;
    }
}
