/**
 * Key material for the TLS record layer: HKDF (RFC 5869), the TLS 1.3 key schedule (RFC 8446 section 7), the
 * TLS 1.2 PRF and key block (RFC 5246 section 5 and 6.3, RFC 7627), traffic keys as the record layer consumes
 * them, and NSS key log files (RFC 9850) to read secrets from and write them back to. Only the JDK's HMAC is
 * used. Nothing here prints a secret: every {@code toString()} gives lengths or counts.
 */
package io.tlsnic.wire.keys;
