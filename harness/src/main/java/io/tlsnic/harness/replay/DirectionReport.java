package io.tlsnic.harness.replay;

import java.util.Map;

/**
 * The replay of one direction of one TLS connection.
 *
 * @param src                 sender "ip:port".
 * @param dst                 receiver "ip:port".
 * @param version             "TLS 1.2" or "TLS 1.3".
 * @param cipher              cipher suite name.
 * @param plaintextBytes      application bytes delivered (0-RTT data first).
 * @param plaintextSha256     SHA-256 of them, hex.
 * @param records             records the receiver delivered.
 * @param recordsDevice       of which every part was decrypted by the device.
 * @param recordsMixed        of which some parts were.
 * @param recordsSoftware     of which none were.
 * @param controlRecords      non-data records by type (alert, new_session_ticket, key_update, handshake ...).
 * @param earlyDataRecords    0-RTT records the TLS library opened before kTLS took over.
 * @param handshakeRecords    records the TLS library handled before kTLS took over.
 * @param incompleteRecords   records the capture lacks bytes of.
 * @param keyUpdates          TLS 1.3 key generations installed after the first.
 * @param resyncs             device resynchronisations (0 for the software receiver).
 * @param txRecordsCompared   records re-sealed and compared with the capture.
 * @param txRecordsMismatched of which differ.
 * @param txExplicitNonceNotSequential TLS 1.2 records whose explicit nonce a kTLS sender would not have chosen
 *                            (compared with their own nonce; see {@link TxVerifier#explicitNonceNotSequential()}).
 * @param receiver            "device" or "software": the receive path the direction was played through.
 * @param receiverCounters    what the receiver counted (device: frames fed to the NIC, checksums recomputed, packets
 *                            the device decrypted ...).
 * @param receiverNote        how the receiver departed from its normal path (a software fallback), or null.
 * @param verdict             one line.
 */
public record DirectionReport(
    String src, String dst, String version, String cipher, long plaintextBytes, String plaintextSha256, long records,
    long recordsDevice, long recordsMixed, long recordsSoftware, Map<String, Long> controlRecords,
    long earlyDataRecords, long handshakeRecords, long incompleteRecords, long keyUpdates, long resyncs,
    long txRecordsCompared, long txRecordsMismatched, long txExplicitNonceNotSequential, String receiver,
    Map<String, Long> receiverCounters, String receiverNote, String verdict)
{
    /** @return whether every delivered record authenticated and re-sealed identically. */
    public boolean verified()
    {
        return verdict.startsWith("ok");
    }
}
