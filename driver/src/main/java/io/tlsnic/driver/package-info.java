/**
 * The driver: implements the stack's {@link io.tlsnic.stack.dev.NetDevice} and
 * {@link io.tlsnic.stack.dev.TlsDeviceOps} over the NIC model through its registers and the host memory it owns:
 * posts TX descriptors and RX buffers, rings doorbells, reaps completions with a budget (NAPI-like), hands packets up
 * with their decrypted / decrypt-failed marks, and turns add / del / resync into control-queue commands whose
 * completions it waits for without blocking.
 */
package io.tlsnic.driver;
