package io.tlsnic.wire.keys;

import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * HKDF, RFC 5869, with HMAC-SHA-256 or HMAC-SHA-384.
 */
public final class Hkdf
{
    private Hkdf()
    {
    }

    /**
     * HKDF-Extract(salt, IKM).
     *
     * @param hash hash function.
     * @param salt salt; {@code null} or empty means {@code Hash.length} zero bytes (RFC 5869 section 2.2).
     * @param ikm  input keying material.
     * @return PRK, {@code hash.length()} bytes.
     */
    public static byte[] extract(final HashAlgorithm hash, final byte[] salt, final byte[] ikm)
    {
        final byte[] key = salt == null || salt.length == 0 ? new byte[hash.length()] : salt;
        return hash.hmac(key).doFinal(ikm);
    }

    /**
     * HKDF-Expand(PRK, info, L).
     *
     * @param hash   hash function.
     * @param prk    pseudorandom key.
     * @param info   context, may be empty.
     * @param length L, at most {@code 255 * hash.length()}.
     * @return OKM, {@code length} bytes.
     * @throws IllegalArgumentException when {@code length} is negative or above {@code 255 * hash.length()}.
     */
    public static byte[] expand(final HashAlgorithm hash, final byte[] prk, final byte[] info, final int length)
    {
        final int maxLength = 255 * hash.length();
        if (length < 0 || length > maxLength)
        {
            throw new IllegalArgumentException(
                "HKDF-Expand length " + length + " is outside 0.." + maxLength + " for " + hash);
        }
        final Mac mac = hash.hmac(prk);
        final byte[] okm = new byte[length];
        final byte[] t = new byte[hash.length()];
        int tLength = 0;
        try
        {
            for (int offset = 0, counter = 1; offset < length; offset += t.length, counter++)
            {
                // T(i) = HMAC(PRK, T(i-1) | info | i)
                mac.update(t, 0, tLength);
                mac.update(info);
                mac.update((byte)counter);
                mac.doFinal(t, 0);
                tLength = t.length;
                System.arraycopy(t, 0, okm, offset, Math.min(t.length, length - offset));
            }
            return okm;
        }
        catch (final ShortBufferException e)
        {
            throw new IllegalStateException("HMAC output does not fit " + t.length + " bytes", e);
        }
        finally
        {
            Arrays.fill(t, (byte)0);
        }
    }

    /**
     * HKDF(salt, IKM, info, L) = HKDF-Expand(HKDF-Extract(salt, IKM), info, L).
     *
     * @param hash   hash function.
     * @param salt   salt, {@code null} or empty for zeros.
     * @param ikm    input keying material.
     * @param info   context.
     * @param length output length.
     * @return OKM.
     */
    public static byte[] derive(
        final HashAlgorithm hash, final byte[] salt, final byte[] ikm, final byte[] info, final int length)
    {
        final byte[] prk = extract(hash, salt, ikm);
        try
        {
            return expand(hash, prk, info, length);
        }
        finally
        {
            Arrays.fill(prk, (byte)0);
        }
    }
}
