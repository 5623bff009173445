/**
 * Descriptor rings and completion queues in host memory: the byte-exact little-endian layouts (one flyweight class
 * per layout, its Javadoc the byte diagram), ring geometry ({@link io.tlsnic.nic.ring.Ring}), the producer and
 * consumer sides with Agrona-style publication (body first, then one ordered store of the tail doorbell or the
 * owner/phase word; the consumer reads that word with acquire semantics), and completion interrupt moderation.
 * Sequences are {@code long}s that only grow; the slot is {@code seq & mask}.
 */
package io.tlsnic.nic.ring;
