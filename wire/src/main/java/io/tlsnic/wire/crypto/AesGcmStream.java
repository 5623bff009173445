package io.tlsnic.wire.crypto;

import java.security.MessageDigest;
import java.util.Objects;

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
 * <p>How: a {@link GcmCore} does the bytes. Where the CPU has VAES and VPCLMULQDQ and the build compiled it, that
 * is the native kernel ({@link NativeGcmCore}: keystream and GHASH in one pass per segment); otherwise, or with
 * {@code -Dtlsnic.crypto.native=false}, it is SunJCE {@code AES/CTR/NoPadding} plus the JDK's GHASH
 * ({@link JceGcmCore}). {@link #engineName()} says which one this JVM uses. When one call covers a whole record
 * from its first byte (a TSO descriptor holding full records) the one-shot SunJCE GCM path is used instead, which
 * the JDK runs as one fused kernel.
 *
 * <p>Rebuilding the state for an offset (TX retransmission, "DUMP"): {@link #start} the record again and
 * {@link #absorb} its prefix. Not thread-safe: one instance per flow and direction, driven by one agent.
 * {@link #close()} releases the native state at once (a cleaner does it otherwise when the instance is dropped).
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


    private final GcmCore core;
    private final JceAead whole;
    private final byte[] expectedTag = new byte[TAG_LENGTH];
    private final byte[] receivedTag = new byte[TAG_LENGTH];

    private boolean encrypting;
    private boolean started;
    private boolean finished;
    private long textLength;

    /**
     * @param keyBytes AES key, 16 or 32 bytes. Copied into the engine's key schedule; the caller keeps and wipes
     *     its own.
     */
    public AesGcmStream(final byte[] keyBytes)
    {
        this(checkKey(keyBytes), NativeGcm.isAvailable() ? new NativeGcmCore(keyBytes)
            : new JceGcmCore(keyBytes, Ghash::create));
    }

    /**
     * The Java engine with a chosen GHASH, whatever the CPU (tests compare the implementations).
     *
     * @param keyBytes AES key, 16 or 32 bytes.
     * @param ghashFactory makes the GHASH for a subkey H.
     */
    AesGcmStream(final byte[] keyBytes, final java.util.function.Function<byte[], Ghash> ghashFactory)
    {
        this(checkKey(keyBytes), new JceGcmCore(keyBytes, ghashFactory));
    }

    private AesGcmStream(final byte[] keyBytes, final GcmCore core)
    {
        this.core = core;
        whole = new JceAead(keyBytes.length == 16 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256, keyBytes);
    }

    /**
     * The native kernel, whatever the default (tests compare the engines).
     *
     * @param keyBytes AES key, 16 or 32 bytes.
     * @return a stream on the native kernel.
     * @throws IllegalStateException when the kernel is not available here.
     */
    static AesGcmStream nativeKernel(final byte[] keyBytes)
    {
        if (!NativeGcm.isAvailable())
        {
            throw new IllegalStateException("native AES-GCM kernel not available: " + NativeGcm.unavailableReason());
        }
        return new AesGcmStream(checkKey(keyBytes), new NativeGcmCore(keyBytes));
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
        Objects.checkFromIndexSize(nonceOffset, NONCE_LENGTH, nonce12.length);
        Objects.checkFromIndexSize(aadOffset, aadLen, aadBytes.length);
        core.start(encrypt, nonce12, nonceOffset, aadBytes, aadOffset, aadLen);
        encrypting = encrypt;
        started = true;
        finished = false;
        textLength = 0;
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
        Objects.checkFromIndexSize(inOffset, length, in.length);
        Objects.checkFromIndexSize(outOffset, length, out.length);
        if (length == 0)
        {
            return;
        }
        core.update(in, inOffset, length, out, outOffset);
        textLength += length;
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
        Objects.checkFromIndexSize(tagOffset, TAG_LENGTH, tagOut.length);
        core.tag(tagOut, tagOffset);
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
        Objects.checkFromIndexSize(tagOffset, TAG_LENGTH, tag.length);
        core.tag(expectedTag, 0);
        finished = true;
        System.arraycopy(tag, tagOffset, receivedTag, 0, TAG_LENGTH);
        return MessageDigest.isEqual(expectedTag, receivedTag);
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

    /** @return the GHASH implementation the Java engine uses (the native kernel has its own), for reports. */
    public static String ghashImplementation()
    {
        return Ghash.implementationName();
    }

    /**
     * @return which engine {@link #AesGcmStream(byte[])} uses in this JVM, for reports: the native kernel, or the
     *     Java engine and why the native one is not used.
     */
    public static String engineName()
    {
        return NativeGcm.isAvailable()
            ? "native kernel (VAES + VPCLMULQDQ, one pass per segment, called through " + NativeGcm.callPath() + ")"
            : "Java (SunJCE AES-CTR + " + Ghash.implementationName() + " GHASH; native kernel not used: "
                + NativeGcm.unavailableReason() + ")";
    }

    /** Releases the engine's native state, wiping its key schedule; the stream cannot be used afterwards. */
    @Override
    public void close()
    {
        core.close();
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

    private static byte[] checkKey(final byte[] keyBytes)
    {
        if (keyBytes.length != 16 && keyBytes.length != 32)
        {
            throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes, got " + keyBytes.length);
        }
        return keyBytes;
    }
}
