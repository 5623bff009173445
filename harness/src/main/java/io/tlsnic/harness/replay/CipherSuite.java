package io.tlsnic.harness.replay;

import io.tlsnic.wire.keys.HashAlgorithm;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The cipher suites whose records kTLS can carry (AEAD: AES-GCM and ChaCha20-Poly1305), with their record cipher and
 * the hash of their key schedule (TLS 1.3) or PRF (TLS 1.2). IANA TLS Cipher Suites registry; RFC 5288, 5487, 7905,
 * 8442, 8446.
 */
public enum CipherSuite
{
    TLS_AES_128_GCM_SHA256(0x1301, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, false),
    TLS_AES_256_GCM_SHA384(0x1302, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, false),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, false),

    TLS_RSA_WITH_AES_128_GCM_SHA256(0x009c, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_RSA_WITH_AES_256_GCM_SHA384(0x009d, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256(0x009e, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384(0x009f, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_PSK_WITH_AES_128_GCM_SHA256(0x00a8, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, true),
    TLS_PSK_WITH_AES_256_GCM_SHA384(0x00a9, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, true),
    TLS_DHE_PSK_WITH_AES_128_GCM_SHA256(0x00aa, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_DHE_PSK_WITH_AES_256_GCM_SHA384(0x00ab, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_RSA_PSK_WITH_AES_128_GCM_SHA256(0x00ac, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_RSA_PSK_WITH_AES_256_GCM_SHA384(0x00ad, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xc02b, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xc02c, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256(0xc02d, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384(0xc02e, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xc02f, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xc030, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256(0xc031, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384(0xc032, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false),
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xcca8, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, false),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xcca9, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, false),
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xccaa, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, false),
    TLS_PSK_WITH_CHACHA20_POLY1305_SHA256(0xccab, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, true),
    TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256(0xccac, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, false),
    TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256(0xccad, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, false),
    TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256(0xccae, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, false),
    TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256(0xd001, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, false),
    TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384(0xd002, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, false);

    private final int code;
    private final TlsVersion version;
    private final TlsCipher cipher;
    private final boolean plainPsk;

    CipherSuite(final int code, final TlsVersion version, final TlsCipher cipher, final boolean plainPsk)
    {
        this.code = code;
        this.version = version;
        this.cipher = cipher;
        this.plainPsk = plainPsk;
    }

    /** @return the two-byte suite code. */
    public int code()
    {
        return code;
    }

    /** @return the TLS version the suite belongs to. */
    public TlsVersion version()
    {
        return version;
    }

    /** @return the record cipher. */
    public TlsCipher cipher()
    {
        return cipher;
    }

    /** @return the TLS 1.3 key schedule hash or TLS 1.2 PRF hash (SHA-384 for the *_SHA384 suites). */
    public HashAlgorithm hash()
    {
        return HashAlgorithm.forCipher(cipher);
    }

    /** @return whether the pre-master secret comes from the PSK alone (RFC 4279 section 2), so --psk derives it. */
    public boolean isPlainPsk()
    {
        return plainPsk;
    }

    /**
     * @param code suite code.
     * @return the suite, or {@code null} when kTLS cannot carry its records.
     */
    public static CipherSuite fromCode(final int code)
    {
        for (final CipherSuite suite : values())
        {
            if (suite.code == code)
            {
                return suite;
            }
        }
        return null;
    }

    /**
     * @param code suite code.
     * @return e.g. "TLS_AES_128_GCM_SHA256 (0x1301)", or "0x0035" for a suite not listed here.
     */
    public static String describe(final int code)
    {
        final CipherSuite suite = fromCode(code);
        return suite == null ? String.format("0x%04x", code) : String.format("%s (0x%04x)", suite.name(), code);
    }
}
