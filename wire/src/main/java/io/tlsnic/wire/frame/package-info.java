/**
 * Byte layouts of what carries TLS records on the wire: Ethernet II with an optional 802.1Q tag, IPv4, IPv6 and TCP
 * (with its options) as flyweights over Chronicle {@link net.openhft.chronicle.bytes.BytesStore}, in network byte
 * order; the Internet checksums with their pseudo-headers; a {@link io.tlsnic.wire.frame.FrameParser} that locates
 * the layers of any frame without throwing or allocating; and a {@link io.tlsnic.wire.frame.FrameBuilder} that writes
 * Ethernet + IP + TCP headers for the host stack.
 */
package io.tlsnic.wire.frame;
