package io.tlsnic.wire.keys;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * The hash functions of the TLS key schedules: the TLS 1.3 suite hash and the TLS 1.2 PRF hash.
 */
public enum HashAlgorithm
{
    SHA_256("SHA-256", "HmacSHA256", 32),
    SHA_384("SHA-384", "HmacSHA384", 48);

    private final String digestName;
    private final String macName;
    private final int length;

    HashAlgorithm(final String digestName, final String macName, final int length)
    {
        this.digestName = digestName;
        this.macName = macName;
        this.length = length;
    }

    /** @return the output length in bytes, {@code Hash.length} of RFC 8446. */
    public int length()
    {
        return length;
    }

    /**
     * The hash of the suites the record layer implements: TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
     * TLS_CHACHA20_POLY1305_SHA256 in TLS 1.3, and the matching *_AES_128_GCM_SHA256, *_AES_256_GCM_SHA384,
     * *_CHACHA20_POLY1305_SHA256 PRF hashes of TLS 1.2 (RFC 5288, RFC 7905).
     *
     * @param cipher record cipher.
     * @return its suite hash.
     */
    public static HashAlgorithm forCipher(final TlsCipher cipher)
    {
        return cipher == TlsCipher.AES_GCM_256 ? SHA_384 : SHA_256;
    }

    /**
     * @param parts byte strings hashed one after the other.
     * @return the digest of their concatenation (e.g. a transcript hash).
     */
    public byte[] digest(final byte[]... parts)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance(digestName);
            for (final byte[] part : parts)
            {
                digest.update(part);
            }
            return digest.digest();
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(digestName + " is missing from this JDK", e);
        }
    }

    /**
     * @param key HMAC key, may be empty.
     * @return an HMAC initialised with the key.
     */
    Mac hmac(final byte[] key)
    {
        try
        {
            final Mac mac = Mac.getInstance(macName);
            // SecretKeySpec refuses an empty key; HMAC pads keys with zeros to the block size, so one zero byte
            // gives the same MAC as the empty key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, macName));
            return mac;
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(macName + " is missing from this JDK", e);
        }
    }

    @Override
    public String toString()
    {
        return digestName;
    }
}
