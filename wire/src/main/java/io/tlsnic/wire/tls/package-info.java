/**
 * TLS record-layer vocabulary shared by every module: versions, ciphers, the record header flyweight, the
 * Linux {@code tls.h} {@code crypto_info} layouts as {@code setsockopt(SOL_TLS, TLS_TX|TLS_RX)} receives them,
 * and the errno failures ({@link io.tlsnic.wire.tls.Errno}, {@link io.tlsnic.wire.tls.TlsErrnoException}) that
 * the socket layer reports.
 */
package io.tlsnic.wire.tls;
