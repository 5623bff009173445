package io.tlsnic.nic.tls;

/** How a device's RX record tracker finds its way back after losing sync (OFFLOAD-CONTRACT section 5). */
public enum RxResyncMode
{
    /**
     * The device scans for header candidates ({@code 17 03 03 LL LL}, lengths followed to confirm), asks the host
     * to confirm one, tracks records speculatively meanwhile, and resumes when the host names the candidate's
     * record number (Linux TLS_OFFLOAD_SYNC_TYPE_DRIVER_REQ).
     */
    DEVICE_REQUEST,
    /**
     * The device cannot scan: the host, after fully-encrypted records, tells it where the next record starts and
     * its number (TLS_OFFLOAD_SYNC_TYPE_CORE_NEXT_HINT).
     */
    CORE_NEXT_HINT,
    /**
     * mlx5: the device reports a candidate and then its progress (the header it tracks now); the host logs the
     * record headers it frames and answers when the device's header is one of them, or cancels when its log fills
     * (TLS_OFFLOAD_SYNC_TYPE_DRIVER_REQ_ASYNC).
     */
    ASYNC
}
