package io.tlsnic.harness.inspect;

import java.util.Map;

/**
 * The records of a direction.
 *
 * @param count      records the capture holds whole.
 * @param byType     of which per content type (handshake, change_cipher_spec, alert, application_data).
 * @param incomplete records the capture lacks bytes of (not in the other figures).
 * @param length     record lengths in bytes, 5-byte header included (whole records on the wire).
 */
public record RecordFigures(long count, Map<String, Long> byType, long incomplete, DistributionFigures length)
{
}
