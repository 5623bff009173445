package io.tlsnic.wire.crypto;

/**
 * The per-record AES-GCM machinery behind {@link AesGcmStream}: keystream, GHASH, the block a segment boundary
 * cut, and the tag. {@link AesGcmStream} keeps the record's life cycle (started, finished, direction checks) and
 * hands the bytes to one of two cores: {@link NativeGcmCore} (the VAES/VPCLMULQDQ kernel through JNI) where the
 * CPU and the build allow it, {@link JceGcmCore} (SunJCE AES-CTR and the JDK's GHASH) everywhere else.
 *
 * <p>Callers have checked bounds and state; a core trusts its arguments. Not thread-safe.
 */
interface GcmCore extends AutoCloseable
{
    /**
     * Resets the state for a record and absorbs its additional data.
     *
     * @param encrypt true to encrypt, false to decrypt.
     * @param nonce the 12-byte nonce at {@code nonceOffset}.
     * @param nonceOffset offset of the nonce.
     * @param aad additional authenticated data.
     * @param aadOffset first AAD byte.
     * @param aadLength AAD length, any value from 0.
     */
    void start(boolean encrypt, byte[] nonce, int nonceOffset, byte[] aad, int aadOffset, int aadLength);

    /**
     * Encrypts or decrypts the next {@code length} bytes of the record; in place is allowed.
     *
     * @param in input bytes.
     * @param inOffset first input byte.
     * @param length number of bytes, at least 1.
     * @param out output of {@code length} bytes.
     * @param outOffset first output byte.
     */
    void update(byte[] in, int inOffset, int length, byte[] out, int outOffset);

    /**
     * Computes the tag of the bytes processed since {@link #start}; the record is then over.
     *
     * @param out destination of 16 bytes.
     * @param offset where to write.
     */
    void tag(byte[] out, int offset);

    /** Releases what the core holds outside the heap and wipes its key schedule; idempotent. */
    @Override
    void close();
}
