package io.tlsnic.harness.replay;

import java.util.List;

/**
 * One line of {@code events.jsonl}: what happened to one packet of the capture. Lines follow packet numbers.
 *
 * @param frame     packet number.
 * @param timeNs    capture time, nanoseconds since the epoch.
 * @param flow      connection number, or 0 for a packet that is not a TCP segment.
 * @param direction "c2s", "s2c", or null.
 * @param src       sender "ip:port", or null.
 * @param dst       receiver "ip:port", or null.
 * @param tcpSeq    sequence number of the payload, or -1.
 * @param length    TCP payload bytes on the wire.
 * @param records   records the payload touches: "tls#N:type" (handled by the TLS library, N-th record of the
 *                  direction), "ktls#G.N:type" (key generation G, record number N), "incomplete".
 * @param status    what the receive path did: not_decrypted / decrypted / resync_request / error (receiver), or
 *                  handshake / no_payload / not_tcp / the flow's status when it was not replayed.
 */
public record PacketEvent(
    long frame, long timeNs, int flow, String direction, String src, String dst, long tcpSeq, int length, List<String> records,
    String status)
{
}
