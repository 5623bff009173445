package io.tlsnic.wire.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.function.Function;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The portable GCM core: the keystream from SunJCE {@code AES/CTR/NoPadding} (counter J0+1 onwards, streamed
 * across calls with its block position) and the hash from {@link Ghash} over the ciphertext, with the partial block
 * carried here. Two passes over the data; runs on every JVM.
 */
final class JceGcmCore implements GcmCore
{
    private static final int BLOCK = 16;

    private final SecretKeySpec key;
    private final Cipher ctr;
    private final Cipher ecb;
    private final Ghash ghash;

    private final byte[] counterBlock = new byte[BLOCK];
    private final byte[] encryptedJ0 = new byte[BLOCK];
    private final byte[] partial = new byte[BLOCK];
    private final byte[] lengths = new byte[BLOCK];

    private boolean encrypting;
    private int aadLength;
    private int partialLength;
    private long textLength;

    /**
     * @param keyBytes AES key, 16 or 32 bytes (copied into the JCE key object).
     * @param ghashFactory makes the GHASH for a subkey H.
     */
    JceGcmCore(final byte[] keyBytes, final Function<byte[], Ghash> ghashFactory)
    {
        try
        {
            key = new SecretKeySpec(keyBytes, "AES");
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, key);
            final byte[] h = ecb.doFinal(new byte[BLOCK]);
            ghash = ghashFactory.apply(h);
            Arrays.fill(h, (byte)0);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("AES is not available from the JCE: " + e.getMessage(), e);
        }
    }

    @Override
    public void start(
        final boolean encrypt, final byte[] nonce, final int nonceOffset,
        final byte[] aad, final int aadOffset, final int aadLength)
    {
        encrypting = encrypt;
        partialLength = 0;
        textLength = 0;
        this.aadLength = aadLength;

        System.arraycopy(nonce, nonceOffset, counterBlock, 0, AesGcmStream.NONCE_LENGTH);
        setCounter(1);
        try
        {
            ecb.doFinal(counterBlock, 0, BLOCK, encryptedJ0, 0);
            setCounter(2);
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock));
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("AES-CTR init failed: " + e.getMessage(), e);
        }

        ghash.reset();
        final int whole = aadLength & ~(BLOCK - 1);
        ghash.updateBlocks(aad, aadOffset, whole);
        final int rest = aadLength - whole;
        if (rest > 0)
        {
            Arrays.fill(partial, (byte)0);
            System.arraycopy(aad, aadOffset + whole, partial, 0, rest);
            ghash.updateBlocks(partial, 0, BLOCK);
        }
    }

    @Override
    public void update(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        if (!encrypting)
        {
            // GHASH runs over the ciphertext, so take it before an in-place decrypt overwrites it.
            hashCiphertext(in, inOffset, length);
        }
        try
        {
            final int produced = ctr.update(in, inOffset, length, out, outOffset);
            if (produced != length)
            {
                throw new IllegalStateException("AES-CTR produced " + produced + " of " + length + " bytes");
            }
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("AES-CTR failed: " + e.getMessage(), e);
        }
        if (encrypting)
        {
            hashCiphertext(out, outOffset, length);
        }
        textLength += length;
    }

    @Override
    public void tag(final byte[] out, final int offset)
    {
        if (partialLength > 0)
        {
            Arrays.fill(partial, partialLength, BLOCK, (byte)0);
            ghash.updateBlocks(partial, 0, BLOCK);
            partialLength = 0;
        }
        writeLong(lengths, 0, (long)aadLength * 8);
        writeLong(lengths, 8, textLength * 8);
        ghash.updateBlocks(lengths, 0, BLOCK);
        ghash.digest(out, offset);
        for (int i = 0; i < AesGcmStream.TAG_LENGTH; i++)
        {
            out[offset + i] ^= encryptedJ0[i];
        }
    }

    /** Nothing outside the heap; the JCE key object is left to the garbage collector as before. */
    @Override
    public void close()
    {
    }

    private void hashCiphertext(final byte[] c, final int offset, final int length)
    {
        int p = offset;
        int remaining = length;
        if (partialLength > 0)
        {
            final int take = Math.min(BLOCK - partialLength, remaining);
            System.arraycopy(c, p, partial, partialLength, take);
            partialLength += take;
            p += take;
            remaining -= take;
            if (partialLength < BLOCK)
            {
                return;
            }
            ghash.updateBlocks(partial, 0, BLOCK);
            partialLength = 0;
        }
        final int whole = remaining & ~(BLOCK - 1);
        ghash.updateBlocks(c, p, whole);
        final int rest = remaining - whole;
        if (rest > 0)
        {
            System.arraycopy(c, p + whole, partial, 0, rest);
            partialLength = rest;
        }
    }

    private void setCounter(final int i)
    {
        counterBlock[12] = (byte)(i >>> 24);
        counterBlock[13] = (byte)(i >>> 16);
        counterBlock[14] = (byte)(i >>> 8);
        counterBlock[15] = (byte)i;
    }

    private static void writeLong(final byte[] b, final int p, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            b[p + i] = (byte)(v >>> (56 - 8 * i));
        }
    }
}
