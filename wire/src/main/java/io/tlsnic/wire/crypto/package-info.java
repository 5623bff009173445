/**
 * Record protection: the AEADs of TLS 1.2 and 1.3 (AES-GCM, ChaCha20-Poly1305) as a whole-record
 * {@link io.tlsnic.wire.crypto.RecordCipher} for the host's software path, and the incremental
 * {@link io.tlsnic.wire.crypto.AesGcmStream} a device engine carries across TCP segments, on a native
 * VAES/VPCLMULQDQ kernel where the CPU has one and on SunJCE AES-CTR plus the JDK's GHASH elsewhere. Nonce and AAD
 * rules live in one place, {@link io.tlsnic.wire.crypto.RecordProtection}, so both paths build identical bytes.
 */
package io.tlsnic.wire.crypto;
