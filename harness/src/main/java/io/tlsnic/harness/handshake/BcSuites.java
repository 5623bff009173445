package io.tlsnic.harness.handshake;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;

import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** Bouncy Castle's cipher suite and version numbers for the record ciphers kTLS takes (ECDHE-ECDSA in TLS 1.2). */
public final class BcSuites
{
    private BcSuites()
    {
    }

    /**
     * @param version protocol version.
     * @param cipher record cipher.
     * @return the IANA code of the one suite the handshake offers for them.
     */
    public static int suite(final TlsVersion version, final TlsCipher cipher)
    {
        final boolean v13 = version == TlsVersion.TLS_1_3;
        return switch (cipher)
        {
            case AES_GCM_128 -> v13 ? CipherSuite.TLS_AES_128_GCM_SHA256 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
            case AES_GCM_256 -> v13 ? CipherSuite.TLS_AES_256_GCM_SHA384 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384;
            case CHACHA20_POLY1305 -> v13
                ? CipherSuite.TLS_CHACHA20_POLY1305_SHA256 : CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256;
            default -> throw new IllegalArgumentException(cipher.label() + " has no suite kTLS can take over");
        };
    }

    static int[] suites(final HandshakeOptions options)
    {
        return options.ciphers().stream().mapToInt(c -> suite(options.version(), c)).toArray();
    }

    static TlsCipher cipherOf(final int suite)
    {
        return switch (suite)
        {
            case CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ->
                TlsCipher.AES_GCM_128;
            case CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ->
                TlsCipher.AES_GCM_256;
            case CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 ->
                TlsCipher.CHACHA20_POLY1305;
            default -> throw new IllegalStateException(String.format("negotiated suite 0x%04x was not offered", suite));
        };
    }

    static ProtocolVersion[] protocolVersions(final TlsVersion version)
    {
        return version == TlsVersion.TLS_1_3 ? ProtocolVersion.TLSv13.only() : ProtocolVersion.TLSv12.only();
    }

    static TlsVersion versionOf(final ProtocolVersion version)
    {
        if (ProtocolVersion.TLSv13.equals(version))
        {
            return TlsVersion.TLS_1_3;
        }
        if (ProtocolVersion.TLSv12.equals(version))
        {
            return TlsVersion.TLS_1_2;
        }
        throw new IllegalStateException("negotiated " + version + " was not offered");
    }
}
