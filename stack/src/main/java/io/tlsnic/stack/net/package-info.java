/**
 * A host on the emulated network: IP address, TCP connections demultiplexed by 4-tuple, the codec between the
 * TCP model's segments and real Ethernet/IP/TCP frames, and a software device and wire (deterministic, with
 * seeded faults) that join hosts without any offload.
 */
package io.tlsnic.stack.net;
