package io.tlsnic.harness.replay;

/**
 * What a receiver did with one TCP segment, the RX completion status of OFFLOAD-CONTRACT section 5 (0 not decrypted,
 * 1 decrypted, 2 resync request, 3 error). A software receiver leaves every segment {@link #NOT_DECRYPTED}.
 */
public enum PacketMark
{
    NOT_DECRYPTED, DECRYPTED, RESYNC_REQUEST, ERROR
}
