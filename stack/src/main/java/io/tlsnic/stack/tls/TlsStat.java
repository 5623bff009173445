package io.tlsnic.stack.tls;

/**
 * Descriptors of the host TLS counters, named and ordered as Linux {@code /proc/net/tls_stat} prints them
 * ({@code net/tls/tls_proc.c}, {@code include/uapi/linux/snmp.h} {@code LINUX_MIB_TLS*}), followed by shadow
 * counters that no kernel exposes but that the offload study needs. In the manner of Aeron's
 * {@code SystemCounterDescriptor}: the id is stable and indexes {@link TlsCounters}.
 */
public enum TlsStat
{
    /** Sockets whose TX currently runs in software. */
    TLS_CURR_TX_SW(0, "TlsCurrTxSw"),
    /** Sockets whose RX currently runs in software. */
    TLS_CURR_RX_SW(1, "TlsCurrRxSw"),
    /** Sockets whose TX is currently offloaded. */
    TLS_CURR_TX_DEVICE(2, "TlsCurrTxDevice"),
    /** Sockets whose RX is currently offloaded. */
    TLS_CURR_RX_DEVICE(3, "TlsCurrRxDevice"),
    /** TX installs in software, ever. */
    TLS_TX_SW(4, "TlsTxSw"),
    /** RX installs in software, ever. */
    TLS_RX_SW(5, "TlsRxSw"),
    /** TX installs offloaded, ever. */
    TLS_TX_DEVICE(6, "TlsTxDevice"),
    /** RX installs offloaded, ever. */
    TLS_RX_DEVICE(7, "TlsRxDevice"),
    /** Records that failed authentication ({@code tls_err_abort(sk, -EBADMSG)} on the RX path). */
    TLS_DECRYPT_ERROR(8, "TlsDecryptError"),
    /** RX device resyncs requested by the stack. */
    TLS_RX_DEVICE_RESYNC(9, "TlsRxDeviceResync"),
    /** Records decrypted a second time (the zero-copy attempt was undone, {@code tls_decrypt_device}/NoPad). */
    TLS_DECRYPT_RETRY(10, "TlsDecryptRetry"),
    /** Padded TLS 1.3 records received while TLS_RX_EXPECT_NO_PAD was set. */
    TLS_RX_NO_PAD_VIOLATION(11, "TlsRxNoPadViolation"),
    /** TLS 1.3 TX rekeys that succeeded. */
    TLS_TX_REKEY_OK(12, "TlsTxRekeyOk"),
    /** TLS 1.3 RX rekeys that succeeded. */
    TLS_RX_REKEY_OK(13, "TlsRxRekeyOk"),
    /** TX rekeys refused (TLS 1.2, or a change of version or cipher). */
    TLS_TX_REKEY_ERROR(14, "TlsTxRekeyError"),
    /** RX rekeys refused. */
    TLS_RX_REKEY_ERROR(15, "TlsRxRekeyError"),
    /** KeyUpdate handshake messages received (RX paused until a new TLS_RX). */
    TLS_RX_REKEY_RECEIVED(16, "TlsRxRekeyReceived"),

    /** Shadow: framed RX records whose every byte the device had decrypted. */
    TLS_RX_RECORD_DEVICE(17, "ShadowRxRecordDevice"),
    /** Shadow: framed RX records with no device-decrypted byte (software decrypt). */
    TLS_RX_RECORD_SW(18, "ShadowRxRecordSw"),
    /** Shadow: framed RX records partly decrypted by the device (re-encrypt, then software decrypt). */
    TLS_RX_RECORD_MIXED(19, "ShadowRxRecordMixed"),
    /** Shadow: records that failed framing (EMSGSIZE, EINVAL from the record header). */
    TLS_RX_FRAMING_ERROR(20, "ShadowRxFramingError");

    private static final TlsStat[] BY_ID = values();

    private final int id;
    private final String label;

    TlsStat(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    /** @return stable id, the index into {@link TlsCounters}. */
    public int id()
    {
        return id;
    }

    /** @return the name {@code /proc/net/tls_stat} prints (or a {@code Shadow*} name). */
    public String label()
    {
        return label;
    }

    /**
     * @param id a descriptor id.
     * @return its descriptor.
     * @throws IllegalArgumentException for an unknown id.
     */
    public static TlsStat get(final int id)
    {
        if (id < 0 || id >= BY_ID.length)
        {
            throw new IllegalArgumentException("no TLS counter with id " + id + " (0.." + (BY_ID.length - 1) + ")");
        }
        return BY_ID[id];
    }
}
