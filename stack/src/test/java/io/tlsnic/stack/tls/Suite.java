package io.tlsnic.stack.tls;

import java.util.Random;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** The test matrix of the Linux selftests: TLS 1.2/1.3 x AES-GCM-128/256 x ChaCha20-Poly1305. */
enum Suite
{
    TLS12_AES_GCM_128(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128),
    TLS12_AES_GCM_256(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256),
    TLS12_CHACHA20_POLY1305(TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305),
    TLS13_AES_GCM_128(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128),
    TLS13_AES_GCM_256(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256),
    TLS13_CHACHA20_POLY1305(TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305);

    final TlsVersion version;
    final TlsCipher cipher;

    Suite(final TlsVersion version, final TlsCipher cipher)
    {
        this.version = version;
        this.cipher = cipher;
    }

    /** @return a crypto_info with random key, iv and salt. */
    CryptoInfo randomInfo(final Random random, final long recSeq)
    {
        final byte[] iv = new byte[cipher.ivLength()];
        final byte[] key = new byte[cipher.keyLength()];
        final byte[] salt = new byte[cipher.saltLength()];
        random.nextBytes(iv);
        random.nextBytes(key);
        random.nextBytes(salt);
        return CryptoInfo.of(version, cipher, iv, key, salt, recSeq);
    }

    boolean isTls13()
    {
        return version == TlsVersion.TLS_1_3;
    }
}
