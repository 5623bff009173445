/**
 * Host memory as the device sees it: {@link io.tlsnic.nic.mem.HostMemory} holds the regions the driver allocates
 * (descriptor rings, packet buffers, key blocks), each at a 64-bit DMA address (IOVA); the device reaches them
 * only through {@link io.tlsnic.nic.mem.Dma}, whose every access is bounds-checked against one region, and whose
 * failures are counted as {@code dma_errors}, never thrown into the device.
 */
package io.tlsnic.nic.mem;
