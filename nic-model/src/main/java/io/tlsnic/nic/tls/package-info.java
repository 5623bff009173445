/**
 * The inline TLS engine of the device, per flow: {@link io.tlsnic.nic.tls.TxTlsEngine} encrypts records in
 * flight and writes their tags, {@link io.tlsnic.nic.tls.RxTlsEngine} decrypts and authenticates in flight with the
 * record tracker (START / TRACKING / SEARCHING). Both work on a flow's TCP payload at a TCP seq, whatever the
 * alignment of records and segments, and know nothing of rings or frames.
 */
package io.tlsnic.nic.tls;
