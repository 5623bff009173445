/**
 * Capture inspection ({@code tlsnic inspect}): where TLS record boundaries fall relative to the TCP segments that
 * carry them, per flow direction, without keys. {@link io.tlsnic.harness.inspect.Inspector} reads a capture with
 * replay's reader and segment decoder, groups segments by 4-tuple, reassembles and frames each direction with replay's
 * {@code TcpReassembler} and {@code RecordFramer}, and notes which segment first carried every stream byte
 * ({@link io.tlsnic.harness.inspect.ByteCarriers}). {@link io.tlsnic.harness.inspect.GeometryMeter} then measures
 * records per segment, segments per record, record headers and AEAD tags split across segments, and
 * {@link io.tlsnic.harness.inspect.ArrivalCounter} the retransmissions, late fills and gaps that explain why a lossy
 * capture differs. {@link io.tlsnic.harness.inspect.InspectWriter} prints the figures as a table and writes them as
 * {@code inspect.json}, byte for byte the same on every run.
 */
package io.tlsnic.harness.inspect;
