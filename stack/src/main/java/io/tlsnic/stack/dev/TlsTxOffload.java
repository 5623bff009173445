package io.tlsnic.stack.dev;

/**
 * The stack's per-socket TX offload state as a driver sees it on a packet (skb->sk's tls_offload_context_tx):
 * the device context it was installed with, the records kept until ACKed, and the software fallback.
 */
public interface TlsTxOffload
{
    /** @return the handle {@link TlsDeviceOps#add} returned for this socket's TX context. */
    int deviceHandle();

    /**
     * @param tcpSeq a TCP seq of the stream (unsigned 32-bit).
     * @return where it falls: a kept record (to rebuild the device's state from), before offload, or unavailable.
     */
    TxRecordRef recordAt(long tcpSeq);

    /**
     * Software fallback (Linux {@code tls_device_fallback.c}): the ciphertext the device would have put at
     * {@code [tcpSeq, tcpSeq + length)}, computed by the stack.
     *
     * @param tcpSeq first byte.
     * @param length bytes.
     * @return the ciphertext, or null when part of the range is not in a kept record.
     */
    byte[] encryptInSoftware(long tcpSeq, int length);
}
