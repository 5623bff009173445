package io.tlsnic.wire.crypto;

import java.util.Arrays;

import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The incremental ChaCha20-Poly1305 state (RFC 8439) of a device that offloads it: the ChaCha20 keystream (Bouncy
 * Castle's RFC 7539 engine, which keeps its own position inside a 64-byte block between calls) and Poly1305 over
 * the ciphertext, fed as segments arrive.
 * <pre>
 *   keystream block i = ChaCha20(key, counter i, nonce)   block 0: the one-time Poly1305 key (first 32 bytes)
 *   ciphertext = plaintext XOR keystream from block 1     tag = Poly1305(AAD || pad16 || C || pad16 ||
 *                                                                        LE64(len A) || LE64(len C))
 * </pre>
 */
public final class ChaCha20Poly1305Stream implements StreamingAead
{
    private static final int BLOCK = 64;
    private static final byte[] ZEROS = new byte[16];

    private final KeyParameter key;
    private final ChaCha7539Engine chacha = new ChaCha7539Engine();
    private final Poly1305 poly = new Poly1305();
    private final byte[] polyKey = new byte[32];
    private final byte[] computed = new byte[16];
    private final byte[] lengths = new byte[16];
    private final byte[] nonce = new byte[12];
    private boolean encrypting;
    private boolean started;
    private long aadLength;
    private long textLength;

    /** @param keyBytes the 32-byte key (copied). */
    public ChaCha20Poly1305Stream(final byte[] keyBytes)
    {
        if (keyBytes.length != 32)
        {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + keyBytes.length);
        }
        this.key = new KeyParameter(keyBytes.clone());
    }

    @Override
    public void start(final boolean encrypt, final byte[] nonce12, final int nonceOffset, final byte[] aadBytes,
        final int aadOffset, final int aadLen)
    {
        System.arraycopy(nonce12, nonceOffset, nonce, 0, 12);
        chacha.init(true, new ParametersWithIV(key, nonce));
        Arrays.fill(polyKey, (byte)0);
        chacha.processBytes(polyKey, 0, 32, polyKey, 0);
        chacha.seekTo(BLOCK);
        poly.init(new KeyParameter(polyKey));
        Arrays.fill(polyKey, (byte)0);
        poly.update(aadBytes, aadOffset, aadLen);
        pad(aadLen);
        encrypting = encrypt;
        started = true;
        aadLength = aadLen;
        textLength = 0;
    }

    @Override
    public void update(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        if (!started)
        {
            throw new IllegalStateException("no record started");
        }
        if (length == 0)
        {
            return;
        }
        if (!encrypting)
        {
            poly.update(in, inOffset, length);
        }
        chacha.processBytes(in, inOffset, length, out, outOffset);
        if (encrypting)
        {
            poly.update(out, outOffset, length);
        }
        textLength += length;
    }

    @Override
    public void finishTag(final byte[] tagOut, final int tagOffset)
    {
        if (!encrypting)
        {
            throw new IllegalStateException("finishTag on a decrypting state");
        }
        finish(tagOut, tagOffset);
    }

    @Override
    public boolean verifyTag(final byte[] tag, final int tagOffset)
    {
        if (encrypting)
        {
            throw new IllegalStateException("verifyTag on an encrypting state");
        }
        finish(computed, 0);
        int diff = 0;
        for (int i = 0; i < 16; i++)
        {
            diff |= computed[i] ^ tag[tagOffset + i];
        }
        Arrays.fill(computed, (byte)0);
        return diff == 0;
    }

    @Override
    public boolean sealOrOpenWhole(final boolean encrypt, final byte[] nonce12, final int nonceOffset,
        final byte[] aadBytes, final int aadOffset, final int aadLen, final byte[] in, final int inOffset,
        final int textLen, final byte[] out, final int outOffset)
    {
        start(encrypt, nonce12, nonceOffset, aadBytes, aadOffset, aadLen);
        if (encrypt)
        {
            update(in, inOffset, textLen, out, outOffset);
            finishTag(out, outOffset + textLen);
            return true;
        }
        // Authenticate before releasing anything: the tag follows the ciphertext in the input.
        final byte[] tag = Arrays.copyOfRange(in, inOffset + textLen, inOffset + textLen + 16);
        poly.update(in, inOffset, textLen);
        textLength = textLen;
        finish(computed, 0);
        int diff = 0;
        for (int i = 0; i < 16; i++)
        {
            diff |= computed[i] ^ tag[i];
        }
        if (diff != 0)
        {
            return false;
        }
        chacha.processBytes(in, inOffset, textLen, out, outOffset);
        return true;
    }

    @Override
    public long position()
    {
        return textLength;
    }

    @Override
    public boolean isEncrypting()
    {
        return encrypting;
    }

    @Override
    public void close()
    {
        // Heap state only: nothing to free.
    }

    private void finish(final byte[] out, final int offset)
    {
        pad(textLength);
        for (int i = 0; i < 8; i++)
        {
            lengths[i] = (byte)(aadLength >>> (8 * i));
            lengths[8 + i] = (byte)(textLength >>> (8 * i));
        }
        poly.update(lengths, 0, 16);
        poly.doFinal(out, offset);
        started = false;
    }

    private void pad(final long length)
    {
        final int rest = (int)(length % 16);
        if (rest != 0)
        {
            poly.update(ZEROS, 0, 16 - rest);
        }
    }
}
