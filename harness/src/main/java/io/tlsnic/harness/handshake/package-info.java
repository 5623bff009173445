/**
 * A real TLS handshake in userspace, then the record layer in kTLS: Bouncy Castle's TLS protocol engine
 * (org.bouncycastle.tls, non-blocking mode) runs the handshake over a {@link io.tlsnic.stack.tls.KtlsSocket} that
 * still passes bytes through to TCP, reading exactly one record at a time so that nothing past the handshake is
 * taken from the socket; the application traffic keys and both record sequence numbers are then exported and
 * installed with {@code TLS_TX}/{@code TLS_RX} (the split OpenSSL's kTLS mode and ktls-utils make). Also here: the
 * run-time self-signed certificate the client trusts by fingerprint, the NSS key log written only when asked, and
 * TLS 1.3 KeyUpdate on the kTLS socket ({@link io.tlsnic.harness.handshake.KtlsSession}).
 */
package io.tlsnic.harness.handshake;
