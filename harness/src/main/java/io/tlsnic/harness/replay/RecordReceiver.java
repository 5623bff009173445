package io.tlsnic.harness.replay;

import java.util.Map;

import io.tlsnic.wire.tls.CryptoInfo;

/**
 * The receive side of one direction of one TLS connection after the TLS library has handed its keys to kTLS: what
 * the replay feeds with that direction's TCP segments, in capture order (retransmissions, duplicates and reordering
 * included, as a NIC sees them), and what reports each record it delivers to the application, classified
 * {@link RecordClass#DEVICE}, {@link RecordClass#MIXED} or {@link RecordClass#SOFTWARE}.
 * <p>
 * A receiver is created by a {@link RecordReceiverFactory} with the direction's {@code crypto_info} (its
 * {@code rec_seq} is the number of the first record) and the TCP sequence number where that first record starts,
 * the two arguments of {@code tls_dev_add(RX)}. Bytes before that sequence number belong to the handshake; a
 * segment that straddles it is given whole, and the receiver ignores the part before. {@link SoftwareRecordReceiver}
 * is the software path; a NIC-backed receiver runs the device first and the same stack after it.
 */
public interface RecordReceiver
{
    /**
     * One TCP segment of the direction.
     *
     * @param frameNumber packet number in the capture.
     * @param tcpSeq      sequence number of {@code payload[offset]}.
     * @param payload     TCP payload bytes (valid during the call only).
     * @param offset      first byte.
     * @param length      byte count, at least 1.
     * @return what the receive path did with the packet.
     */
    PacketMark onSegment(long frameNumber, long tcpSeq, byte[] payload, int offset, int length);

    /**
     * Installs the key of the next generation after a TLS 1.3 KeyUpdate ({@code setsockopt(TLS_RX)} again); the
     * records after the KeyUpdate are opened with it, starting at {@code next.recSeq()} (0).
     *
     * @param next the new crypto_info.
     */
    void rekey(CryptoInfo next);

    /** The capture has ended: report records left incomplete. */
    void finish();

    /** @return what this receiver counted (frames fed to a device, checksums recomputed ...), for the report. */
    default Map<String, Long> counters()
    {
        return Map.of();
    }

    /** @return one line on how the receiver departed from its normal path (a fallback), or null. */
    default String note()
    {
        return null;
    }
}
