/**
 * Offload bookkeeping of the host, Linux {@code net/tls/tls_device.c} structures without a device yet: the TX
 * record list kept until ACKed ({@link io.tlsnic.stack.tls.device.TxRecordList}, with the start marker and the
 * retransmit look-up a device needs), and the RX record classification by device marks
 * ({@link io.tlsnic.stack.tls.device.RecordClass}) with the pluggable
 * {@link io.tlsnic.stack.tls.device.RxRecordHandler} that turns a framed record into plaintext.
 */
package io.tlsnic.stack.tls.device;
