/**
 * The emulated cable between ports: latency, line rate and seeded faults on the virtual clock, the same for a NIC
 * model's port and a software device.
 */
package io.tlsnic.wire.link;
