package io.tlsnic.wire.frame;

/**
 * Outcome of {@link FrameParser}: either {@link #OK} with every layer located, or the first reason the frame is not
 * a well-formed TCP segment. Statuses that say the frame is not ours ({@link #NOT_IP}, {@link #NOT_TCP},
 * {@link #IP_FRAGMENT}) are separate from those that say it is broken, so a device can count them apart.
 */
public enum ParseStatus
{
    /** Ethernet, IPv4 or IPv6, and TCP headers are all present and consistent. */
    OK,
    /** The bytes end before a header does, or before the length an IP header announces. */
    TRUNCATED,
    /** The EtherType (after at most one 802.1Q tag) or the version nibble is neither IPv4 nor IPv6. */
    NOT_IP,
    /** IPv4 protocol or IPv6 next header is not TCP (6); IPv6 extension headers land here too. */
    NOT_TCP,
    /** IPv4 more-fragments flag or fragment offset is set: the segment is not whole in this packet. */
    IP_FRAGMENT,
    /** Version field disagrees with the EtherType, IHL below 5, or total length below the header length. */
    BAD_IP_HEADER,
    /** Data offset below 5 or beyond the TCP length the IP header gives. */
    BAD_TCP_HEADER
}
