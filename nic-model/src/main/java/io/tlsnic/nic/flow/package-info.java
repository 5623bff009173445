/**
 * Per-flow TLS contexts on the device: the compact {@link io.tlsnic.nic.flow.FlowContextTable} (fixed slots in one
 * slab, looked up by id or flow key, keys zeroed on remove), the LRU {@link io.tlsnic.nic.flow.ContextCache} of
 * expanded cipher states, the device's {@link io.tlsnic.nic.flow.DeviceCapabilities}, the control-queue firmware
 * that installs, resyncs and removes contexts ({@link io.tlsnic.nic.flow.ControlQueueProcessor}), and receive-side
 * scaling (Toeplitz hash and indirection table) that maps a flow to its queue.
 */
package io.tlsnic.nic.flow;
