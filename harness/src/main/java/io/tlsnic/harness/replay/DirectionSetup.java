package io.tlsnic.harness.replay;

import io.tlsnic.wire.tls.CryptoInfo;

/**
 * What a TLS library hands to kTLS for one direction once the handshake is done: the {@code crypto_info} and the
 * point in the stream where it takes over. Also what the library itself decrypted before that point (0-RTT data).
 *
 * @param source           sender.
 * @param destination      receiver.
 * @param installOffset    stream offset of the first record kTLS handles.
 * @param installSeq       its TCP sequence number.
 * @param cryptoInfo       keys, with {@code rec_seq} the number of that first record.
 * @param trafficSecret    TLS 1.3 application traffic secret of the installed generation (for KeyUpdate), else null.
 * @param earlyData        0-RTT application data the library decrypted (TLS 1.3 client), possibly empty.
 * @param earlyDataRecords how many 0-RTT application-data records carried it.
 * @param handshakeRecords records the library handled before the install point.
 */
public record DirectionSetup(
    Endpoint source, Endpoint destination, long installOffset, long installSeq, CryptoInfo cryptoInfo,
    byte[] trafficSecret, byte[] earlyData, int earlyDataRecords, int handshakeRecords)
{
    @Override
    public String toString()
    {
        return "DirectionSetup{" + source + " -> " + destination + ", install at tcp seq " + installSeq + ", "
            + cryptoInfo + "}";
    }
}
