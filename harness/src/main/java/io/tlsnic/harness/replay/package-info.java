/**
 * Capture replay: reads a pcap or pcapng capture with Pcap4J, groups TCP segments into connections, reassembles each
 * direction, follows each TLS handshake as a userspace TLS library would (keys from an NSS key log or a TLS 1.2 PSK),
 * and hands every direction's segments, in capture order, to a {@link io.tlsnic.harness.replay.RecordReceiver}
 * installed at the TCP sequence number and record number where kTLS would take over: by default
 * {@link io.tlsnic.harness.replay.DeviceRecordReceiver} (the frames enter an emulated NIC, its driver, TCP and a kTLS
 * socket with the RX context on the device), or {@link io.tlsnic.harness.replay.SoftwareRecordReceiver}; both are
 * made by a {@link io.tlsnic.harness.replay.RecordReceiverFactory}. Every application record is then re-sealed from its
 * plaintext and compared with the captured bytes ({@link io.tlsnic.harness.replay.TxVerifier}); the outcome is a
 * {@link io.tlsnic.harness.replay.ReplayReport} and a per-packet event log. Keys are never printed or logged.
 */
package io.tlsnic.harness.replay;
