package io.tlsnic.stack.tls;

import io.tlsnic.stack.tls.device.RecordClass;

/**
 * Sees every RX record the socket opens, when it opens it (in {@code recvmsg}, before the plaintext is copied out),
 * with who decrypted it. A hook for tools (capture replay); no kernel has it. It must not call back into the socket.
 */
@FunctionalInterface
public interface RxRecordObserver
{
    /**
     * @param tcpSeq        TCP seq of the record header.
     * @param recordNumber  its record number under the current key.
     * @param recordClass   DEVICE, MIXED or SOFTWARE, from the device marks of its bytes.
     * @param contentType   real content type (TLS 1.3: the inner type).
     * @param plaintext     buffer holding its content (valid during the call only).
     * @param offset        first content byte.
     * @param length        content length.
     * @param paddingLength TLS 1.3 zero padding after the inner type (0 for TLS 1.2).
     */
    void onRecord(long tcpSeq, long recordNumber, RecordClass recordClass, int contentType, byte[] plaintext,
        int offset, int length, int paddingLength);
}
