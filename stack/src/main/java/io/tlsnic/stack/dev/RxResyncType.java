package io.tlsnic.stack.dev;

/** How a device regains RX sync, which decides what the stack does to help it (Linux {@code tls_offload_sync_type}). */
public enum RxResyncType
{
    /** The device asks to confirm a header candidate; the stack answers with its record number. */
    DEVICE_REQUEST,
    /** The device cannot scan; the stack names the next record start after fully-encrypted records. */
    CORE_NEXT_HINT,
    /** The device reports a candidate, then its progress; the stack logs headers and answers or cancels. */
    ASYNC
}
