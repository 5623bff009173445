/**
 * Record framing of the RX byte stream, Linux {@code net/tls/tls_strp.c} ("strparser"): find each record's
 * 5-byte header across TCP chunk boundaries, validate it, and keep the record's encrypted bytes apart until the
 * whole record is there (FreeBSD {@code sb_mtls}), together with the per-byte-range device marks of the chunks
 * they came from. Push-driven, with no knowledge of sockets or transports, so that it can be fed byte-exact input
 * split anywhere.
 */
package io.tlsnic.stack.tls.strp;
