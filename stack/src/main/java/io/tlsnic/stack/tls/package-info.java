/**
 * The kTLS socket layer of the host stack, Linux {@code net/tls} in Java form: {@link io.tlsnic.stack.tls.KtlsSocket}
 * (the {@code setsockopt}/{@code getsockopt} API of {@code tls_main.c}), the software record path
 * ({@link io.tlsnic.stack.tls.TlsSwTx}, {@link io.tlsnic.stack.tls.TlsSwRx}: {@code tls_sw.c}), the
 * {@code /proc/net/tls_stat} counters, and {@link io.tlsnic.stack.tls.TcpTransport}, the narrow interface the TCP
 * model implements for this layer. Record framing lives in {@code stack.tls.strp}, offload bookkeeping in
 * {@code stack.tls.device}. Failures are {@link io.tlsnic.wire.tls.TlsErrnoException}s carrying the Linux errno.
 */
package io.tlsnic.stack.tls;
