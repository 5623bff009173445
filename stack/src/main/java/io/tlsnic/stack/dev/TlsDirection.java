package io.tlsnic.stack.dev;

/** Direction of a TLS offload context ({@code TLS_OFFLOAD_CTX_DIR_TX / _RX}). */
public enum TlsDirection
{
    TX, RX
}
