package io.tlsnic.wire.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * Incremental AES-GCM over one record at a time, the state an inline TLS engine keeps per flow: any run of bytes
 * at any offset can be encrypted or decrypted as segments arrive, the partial AES block and the GHASH carry over
 * between calls, and the tag is produced or checked when the record's last byte has gone through.
 *
 * <p>Decryption releases plaintext on every call, before the tag is seen, exactly like hardware that decrypts in
 * place; whoever uses it must hold back the bytes until {@link #verifyTag} says yes (tls-offload.rst: a packet is
 * marked decrypted only when authenticated), never hand them out before.
 *
 * <p>How: the keystream comes from SunJCE {@code AES/CTR/NoPadding} (counter J0+1 onwards, streamed across calls
 * with its block position) and the hash from {@link Ghash} over the ciphertext with the partial block carried
 * here. When one call covers a whole record from its first byte (a TSO descriptor holding full records) the
 * one-shot SunJCE GCM path is used instead, which the JDK runs as one fused kernel.
 *
 * <p>Rebuilding the state for an offset (TX retransmission, "DUMP"): {@link #start} the record again and
 * {@link #absorb} its prefix. Not thread-safe: one instance per flow and direction, driven by one agent.
 *
 * <pre>
 *   counter block i (16 bytes) = nonce(12) || BE32(i)      J0 = i=1, first keystream block i=2
 *   tag = E_K(J0) XOR GHASH_H( A || 0* || C || 0* || BE64(bits(A)) || BE64(bits(C)) )
 * </pre>
 */
public final class AesGcmStream implements StreamingAead
{
    /** Tag length in bytes (TLS always uses 16). */
    public static final int TAG_LENGTH = 16;
    /** Nonce length in bytes (TLS always uses 12, so J0 = nonce || 1). */
    public static final int NONCE_LENGTH = 12;

    private static final int BLOCK = 16;
    private static final int SCRATCH_LENGTH = 2048;

    private final SecretKeySpec key;
    private final Cipher ctr;
    private final Cipher ecb;
    private final JceAead whole;
    private final Ghash ghash;

    private final byte[] counterBlock = new byte[BLOCK];
    private final byte[] encryptedJ0 = new byte[BLOCK];
    private final byte[] partial = new byte[BLOCK];
    private final byte[] scratch = new byte[SCRATCH_LENGTH];
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private byte[] aad = new byte[16];

    private boolean encrypting;
    private boolean started;
    private boolean finished;
    private int aadLength;
    private int partialLength;
    private long textLength;

    /**
     * @param keyBytes AES key, 16 or 32 bytes. Copied into the JCE key object; the caller keeps and wipes its own.
     */
    public AesGcmStream(final byte[] keyBytes)
    {
        this(keyBytes, Ghash::create);
    }

    /**
     * @param keyBytes AES key, 16 or 32 bytes.
     * @param ghashFactory makes the GHASH for a subkey H (tests choose the portable one).
     */
    AesGcmStream(final byte[] keyBytes, final java.util.function.Function<byte[], Ghash> ghashFactory)
    {
        if (keyBytes.length != 16 && keyBytes.length != 32)
        {
            throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes, got " + keyBytes.length);
        }
        try
        {
            key = new SecretKeySpec(keyBytes, "AES");
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            whole = new JceAead(keyBytes.length == 16 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256, keyBytes);
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

    /**
     * Starts a record: resets the state and absorbs the additional data.
     *
     * @param encrypt true to encrypt (TX), false to decrypt (RX).
     * @param nonce12 the record nonce, 12 bytes at {@code nonceOffset}.
     * @param nonceOffset offset of the nonce.
     * @param aadBytes additional authenticated data.
     * @param aadOffset offset of the AAD.
     * @param aadLen AAD length (13 for TLS 1.2, 5 for TLS 1.3; any length is accepted).
     */
    @Override
    public void start(
        final boolean encrypt,
        final byte[] nonce12, final int nonceOffset,
        final byte[] aadBytes, final int aadOffset, final int aadLen)
    {
        System.arraycopy(nonce12, nonceOffset, nonce, 0, NONCE_LENGTH);
        encrypting = encrypt;
        started = true;
        finished = false;
        partialLength = 0;
        textLength = 0;
        if (aad.length < aadLen)
        {
            aad = new byte[Math.max(aadLen, aad.length * 2)];
        }
        System.arraycopy(aadBytes, aadOffset, aad, 0, aadLen);
        aadLength = aadLen;

        System.arraycopy(nonce, 0, counterBlock, 0, NONCE_LENGTH);
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
        final int whole = aadLen & ~(BLOCK - 1);
        ghash.updateBlocks(aad, 0, whole);
        final int rest = aadLen - whole;
        if (rest > 0)
        {
            Arrays.fill(partial, (byte)0);
            System.arraycopy(aad, whole, partial, 0, rest);
            ghash.updateBlocks(partial, 0, BLOCK);
        }
    }

    /**
     * Encrypts or decrypts the next {@code length} bytes of the record (direction chosen at {@link #start}).
     * In place is allowed ({@code in == out}, same offsets).
     *
     * @param in input bytes.
     * @param inOffset first input byte.
     * @param length number of bytes, any value from 0.
     * @param out output, {@code length} bytes are written.
     * @param outOffset first output byte.
     */
    @Override
    public void update(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        checkActive();
        if (length == 0)
        {
            return;
        }
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

    /**
     * Runs record bytes through the state without producing output: the DUMP of a TX rebuild (plaintext prefix)
     * or the catch-up of an RX state (ciphertext prefix).
     *
     * @param in input bytes (plaintext when encrypting, ciphertext when decrypting).
     * @param inOffset first byte.
     * @param length number of bytes.
     */
    @Override
    public void absorb(final byte[] in, final int inOffset, final int length)
    {
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(SCRATCH_LENGTH, length - done);
            update(in, inOffset + done, n, scratch, 0);
            done += n;
        }
    }

    /**
     * Ends an encryption and writes the tag.
     *
     * @param tagOut destination of 16 bytes.
     * @param tagOffset where to write.
     */
    @Override
    public void finishTag(final byte[] tagOut, final int tagOffset)
    {
        checkActive();
        if (!encrypting)
        {
            throw new IllegalStateException("finishTag on a decrypting state; use verifyTag");
        }
        computeTag(tagOut, tagOffset);
        finished = true;
    }

    /**
     * Ends a decryption and checks the tag in constant time.
     *
     * @param tag received tag, 16 bytes.
     * @param tagOffset offset of the tag.
     * @return true when the record is authentic.
     */
    @Override
    public boolean verifyTag(final byte[] tag, final int tagOffset)
    {
        checkActive();
        if (encrypting)
        {
            throw new IllegalStateException("verifyTag on an encrypting state; use finishTag");
        }
        final byte[] expected = new byte[TAG_LENGTH];
        computeTag(expected, 0);
        finished = true;
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(tag, tagOffset, tagOffset + TAG_LENGTH));
    }

    /**
     * One-shot: the whole record in one call (first byte to tag), through SunJCE's fused GCM. Leaves the state
     * finished, as if {@link #start}, {@link #update} and {@link #finishTag} / {@link #verifyTag} had run.
     *
     * @param encrypt direction.
     * @param nonce12 nonce bytes.
     * @param nonceOffset nonce offset.
     * @param aadBytes AAD bytes.
     * @param aadOffset AAD offset.
     * @param aadLen AAD length.
     * @param in record text (plaintext, or ciphertext followed by its tag when decrypting).
     * @param inOffset first byte.
     * @param textLen length of the text without the tag.
     * @param out output of {@code textLen} bytes, followed by the tag when encrypting.
     * @param outOffset first output byte.
     * @return true, or false when decrypting and the tag did not verify (the output must then not be used).
     */
    @Override
    public boolean sealOrOpenWhole(
        final boolean encrypt,
        final byte[] nonce12, final int nonceOffset,
        final byte[] aadBytes, final int aadOffset, final int aadLen,
        final byte[] in, final int inOffset, final int textLen,
        final byte[] out, final int outOffset)
    {
        started = true;
        finished = true;
        encrypting = encrypt;
        textLength = textLen;
        if (encrypt)
        {
            whole.seal(nonce12, nonceOffset, aadBytes, aadOffset, aadLen, in, inOffset, textLen, out, outOffset);
            return true;
        }
        return whole.open(
            nonce12, nonceOffset, aadBytes, aadOffset, aadLen, in, inOffset, textLen + TAG_LENGTH, out, outOffset) >= 0;
    }

    /** @return bytes of record text processed since {@link #start}. */
    @Override
    public long position()
    {
        return textLength;
    }

    /** @return whether the state is encrypting. */
    @Override
    public boolean isEncrypting()
    {
        return encrypting;
    }

    /** @return the GHASH implementation in use, for reports. */
    public static String ghashImplementation()
    {
        return Ghash.implementationName();
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

    private void computeTag(final byte[] out, final int offset)
    {
        if (partialLength > 0)
        {
            Arrays.fill(partial, partialLength, BLOCK, (byte)0);
            ghash.updateBlocks(partial, 0, BLOCK);
            partialLength = 0;
        }
        final byte[] lengths = scratch;
        writeLong(lengths, 0, (long)aadLength * 8);
        writeLong(lengths, 8, textLength * 8);
        ghash.updateBlocks(lengths, 0, BLOCK);
        ghash.digest(out, offset);
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            out[offset + i] ^= encryptedJ0[i];
        }
    }

    private void checkActive()
    {
        if (!started)
        {
            throw new IllegalStateException("no record started");
        }
        if (finished)
        {
            throw new IllegalStateException("record already finished; start the next one");
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
