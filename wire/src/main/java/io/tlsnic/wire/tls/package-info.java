/**
 * TLS record-layer vocabulary shared by every module: versions, ciphers, the record header flyweight and the
 * Linux {@code tls.h} {@code crypto_info} layouts as {@code setsockopt(SOL_TLS, TLS_TX|TLS_RX)} receives them.
 */
package io.tlsnic.wire.tls;
