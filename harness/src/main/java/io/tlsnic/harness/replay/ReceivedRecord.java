package io.tlsnic.harness.replay;

/**
 * One record a receiver framed, authenticated and opened.
 *
 * @param recordNumber  TLS record sequence number under the current key.
 * @param generation    key generation (0, then +1 per TLS 1.3 KeyUpdate).
 * @param tcpSeq        sequence number of its header.
 * @param contentType   real content type (TLS 1.3: the inner type).
 * @param plaintext     its content.
 * @param paddingLength TLS 1.3 zero padding after the inner type (0 for TLS 1.2).
 * @param captured      the record as captured: header and body.
 * @param recordClass   who decrypted it.
 */
public record ReceivedRecord(
    long recordNumber, int generation, long tcpSeq, int contentType, byte[] plaintext, int paddingLength,
    byte[] captured, RecordClass recordClass)
{
}
