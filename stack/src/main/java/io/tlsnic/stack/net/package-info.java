/**
 * A host on the emulated network: IP address, TCP connections demultiplexed by 4-tuple, the codec between the
 * TCP model's segments and real Ethernet/IP/TCP frames, and a software device with no offload that plugs into a
 * {@link io.tlsnic.wire.link.Link} (deterministic, seeded faults) to join hosts.
 */
package io.tlsnic.stack.net;
