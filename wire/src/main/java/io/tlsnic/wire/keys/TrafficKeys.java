package io.tlsnic.wire.keys;

import java.security.MessageDigest;
import java.util.Arrays;

import javax.security.auth.Destroyable;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * A record key and its write IV, as one direction of the record layer uses them: for TLS 1.3 and ChaCha20 the
 * 12-byte IV that is XORed with the record number; for TLS 1.2 AES-GCM the 4-byte implicit part (the salt).
 * The arrays are copied in and out; {@link #destroy()} wipes them. {@link #toString()} prints lengths only.
 */
public final class TrafficKeys implements Destroyable
{
    private final byte[] key;
    private final byte[] iv;
    private volatile boolean destroyed;

    /**
     * @param key record key, copied.
     * @param iv  write IV, copied.
     */
    public TrafficKeys(final byte[] key, final byte[] iv)
    {
        this.key = key.clone();
        this.iv = iv.clone();
    }

    /** @return a copy of the key. */
    public byte[] key()
    {
        requireNotDestroyed();
        return key.clone();
    }

    /** @return a copy of the write IV. */
    public byte[] iv()
    {
        requireNotDestroyed();
        return iv.clone();
    }

    /** @return key length in bytes. */
    public int keyLength()
    {
        return key.length;
    }

    /** @return write IV length in bytes. */
    public int ivLength()
    {
        return iv.length;
    }

    /**
     * The crypto_info a TLS library would install for these keys, see
     * {@link CryptoInfo#fromWriteIv(TlsVersion, TlsCipher, byte[], byte[], long)}.
     *
     * @param version      TLS version.
     * @param cipher       cipher the keys were derived for.
     * @param recordNumber record number of the next record.
     * @return a crypto_info holding copies of the keys.
     */
    public CryptoInfo toCryptoInfo(final TlsVersion version, final TlsCipher cipher, final long recordNumber)
    {
        requireNotDestroyed();
        return CryptoInfo.fromWriteIv(version, cipher, key, iv, recordNumber);
    }

    /** Wipes key and IV; later accesses throw {@link IllegalStateException}. */
    @Override
    public void destroy()
    {
        destroyed = true;
        Arrays.fill(key, (byte)0);
        Arrays.fill(iv, (byte)0);
    }

    @Override
    public boolean isDestroyed()
    {
        return destroyed;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof TrafficKeys))
        {
            return false;
        }
        final TrafficKeys that = (TrafficKeys)o;
        return destroyed == that.destroyed &&
            MessageDigest.isEqual(key, that.key) && MessageDigest.isEqual(iv, that.iv);
    }

    @Override
    public int hashCode()
    {
        // Lengths only: a hash code must not leak anything about a secret.
        return 31 * key.length + iv.length;
    }

    @Override
    public String toString()
    {
        return destroyed ? "TrafficKeys{destroyed}" :
            "TrafficKeys{key=" + key.length + " bytes, iv=" + iv.length + " bytes}";
    }

    private void requireNotDestroyed()
    {
        if (destroyed)
        {
            throw new IllegalStateException("traffic keys were destroyed");
        }
    }
}
