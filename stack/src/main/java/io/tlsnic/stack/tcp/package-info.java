/**
 * A deterministic model of the host's TCP (RFC 9293) for the emulator: the three-way handshake with option
 * negotiation (MSS, window scale and timestamps of RFC 7323, SACK of RFC 2018), MSS segmentation and TSO
 * hand-off, delayed and cumulative ACKs, retransmission on timeout (RFC 6298) and fast retransmit with NewReno
 * (RFC 5681, RFC 6582) or SACK-based (RFC 6675) loss recovery, pluggable congestion control, flow control with
 * window scaling and a persist timer, FIN half-close and RST. A {@link io.tlsnic.stack.tcp.TcpConnection} works on
 * {@link io.tlsnic.stack.tcp.TcpSegment} objects (not bytes), runs on the virtual clock through the
 * {@link io.tlsnic.wire.sim.EventScheduler}, and hands the layer above (kTLS) in-order receive data as chunks that
 * keep the device's per-packet mark.
 */
package io.tlsnic.stack.tcp;
