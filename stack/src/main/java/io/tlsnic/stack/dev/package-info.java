/**
 * What the host stack needs from a network device, defined here on the stack's side as Linux does
 * ({@code struct net_device}, {@code tlsdev_ops}): {@link io.tlsnic.stack.dev.NetDevice} to send and receive
 * frames with per-packet marks, and {@link io.tlsnic.stack.dev.TlsDeviceOps} to add, delete and resync TLS
 * offload contexts. Drivers implement these; the stack never sees rings or registers.
 */
package io.tlsnic.stack.dev;
