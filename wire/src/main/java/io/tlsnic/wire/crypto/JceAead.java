package io.tlsnic.wire.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * One-shot AEAD over heap arrays with a kept JCE cipher (SunJCE {@code AES/GCM/NoPadding} or
 * {@code ChaCha20-Poly1305}): 12-byte nonce, 16-byte tag. Heap arrays because SunJCE is about 3x slower on direct
 * buffers (MEASUREMENTS.md); the cipher object is kept because {@code getInstance} costs microseconds.
 */
public final class JceAead
{
    private final TlsCipher cipher;
    private final SecretKeySpec key;
    private final Cipher jce;
    private final byte[] lastInitNonce = new byte[AesGcmStream.NONCE_LENGTH];
    private boolean hasLastInitNonce;
    private int clearings;

    /**
     * @param cipher AES_GCM_128, AES_GCM_256 or CHACHA20_POLY1305.
     * @param keyBytes key of {@code cipher.keyLength()} bytes (copied).
     */
    public JceAead(final TlsCipher cipher, final byte[] keyBytes)
    {
        if (!cipher.implemented())
        {
            throw new IllegalArgumentException(cipher + " is not implemented");
        }
        if (keyBytes.length != cipher.keyLength())
        {
            throw new IllegalArgumentException(
                cipher + " key must be " + cipher.keyLength() + " bytes, got " + keyBytes.length);
        }
        this.cipher = cipher;
        try
        {
            if (cipher.isAesGcm())
            {
                key = new SecretKeySpec(keyBytes, "AES");
                jce = Cipher.getInstance("AES/GCM/NoPadding");
            }
            else
            {
                key = new SecretKeySpec(keyBytes, "ChaCha20");
                jce = Cipher.getInstance("ChaCha20-Poly1305");
            }
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(cipher + " is not available from the JCE: " + e.getMessage(), e);
        }
    }

    /** @return the cipher. */
    public TlsCipher cipher()
    {
        return cipher;
    }

    /**
     * Encrypts and appends the tag.
     *
     * @return bytes written: {@code length + 16}.
     */
    public int seal(
        final byte[] nonce, final int nonceOffset,
        final byte[] aad, final int aadOffset, final int aadLength,
        final byte[] in, final int inOffset, final int length,
        final byte[] out, final int outOffset)
    {
        try
        {
            init(Cipher.ENCRYPT_MODE, nonce, nonceOffset);
            jce.updateAAD(aad, aadOffset, aadLength);
            return jce.doFinal(in, inOffset, length, out, outOffset);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(cipher + " seal failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts and authenticates.
     *
     * @param length ciphertext length including the 16-byte tag.
     * @return plaintext length ({@code length - 16}), or -1 when authentication failed (output unspecified: the
     *     caller must not use it).
     */
    public int open(
        final byte[] nonce, final int nonceOffset,
        final byte[] aad, final int aadOffset, final int aadLength,
        final byte[] in, final int inOffset, final int length,
        final byte[] out, final int outOffset)
    {
        if (length < AesGcmStream.TAG_LENGTH)
        {
            return -1;
        }
        try
        {
            init(Cipher.DECRYPT_MODE, nonce, nonceOffset);
            jce.updateAAD(aad, aadOffset, aadLength);
            return jce.doFinal(in, inOffset, length, out, outOffset);
        }
        catch (final AEADBadTagException e)
        {
            return -1;
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(cipher + " open failed: " + e.getMessage(), e);
        }
    }

    private void init(final int mode, final byte[] nonce, final int nonceOffset) throws GeneralSecurityException
    {
        if (hasLastInitNonce && Arrays.equals(
            lastInitNonce, 0, lastInitNonce.length, nonce, nonceOffset, nonceOffset + lastInitNonce.length))
        {
            // The JCE refuses a second init under the key and nonce of the previous one (GCM for encryption,
            // ChaCha20 for both directions), even for the identical re-encryption of a retransmitted record or a
            // second look at a received one; an init with another nonce in between clears the guard.
            final byte[] other = Arrays.copyOfRange(nonce, nonceOffset, nonceOffset + lastInitNonce.length);
            // Vary the stand-in so that two clearings in a row never trip the guard on the stand-in itself.
            other[0] ^= (byte)0xFF;
            other[1] ^= (byte)++clearings;
            jce.init(Cipher.ENCRYPT_MODE, key, spec(other, 0));
        }
        jce.init(mode, key, spec(nonce, nonceOffset));
        System.arraycopy(nonce, nonceOffset, lastInitNonce, 0, lastInitNonce.length);
        hasLastInitNonce = true;
    }

    private java.security.spec.AlgorithmParameterSpec spec(final byte[] nonce, final int offset)
    {
        return cipher.isAesGcm()
            ? new GCMParameterSpec(AesGcmStream.TAG_LENGTH * 8, nonce, offset, AesGcmStream.NONCE_LENGTH)
            : new IvParameterSpec(nonce, offset, AesGcmStream.NONCE_LENGTH);
    }
}
