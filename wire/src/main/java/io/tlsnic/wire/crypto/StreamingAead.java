package io.tlsnic.wire.crypto;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * The device's per-record AEAD state, as an inline engine needs it: start a record, encrypt or decrypt any run of
 * its bytes as segments arrive (output released per call, before the tag is seen), carry partial blocks and the
 * authenticator between calls, produce or verify the tag at the record's end, and run bytes through without output
 * (to rebuild a state for an offset from the record's prefix). One instance per key; records one after another.
 * {@link #close()} when done (a native state is freed by a cleaner otherwise).
 */
public interface StreamingAead extends AutoCloseable
{
    /** Bytes {@link #absorb} runs through the state per step. */
    int ABSORB_CHUNK = 2048;

    /**
     * @param cipher the record cipher.
     * @param key its key (copied; the caller keeps and wipes its own).
     * @return a streaming state for the cipher.
     */
    static StreamingAead of(final TlsCipher cipher, final byte[] key)
    {
        return cipher.isAesGcm() ? new AesGcmStream(key) : new ChaCha20Poly1305Stream(key);
    }

    /** Starts a record: resets the state and absorbs the additional data. See {@link AesGcmStream#start}. */
    void start(boolean encrypt, byte[] nonce12, int nonceOffset, byte[] aadBytes, int aadOffset, int aadLen);

    /** Encrypts or decrypts the next bytes of the record; in place allowed. */
    void update(byte[] in, int inOffset, int length, byte[] out, int outOffset);

    /**
     * Runs record bytes through the state without output: the DUMP of a TX rebuild (plaintext prefix) or the
     * catch-up of an RX state (ciphertext prefix). Both happen once per resync, not per packet, so the output goes
     * to a scratch buffer of its own.
     *
     * @param in input bytes (plaintext when encrypting, ciphertext when decrypting).
     * @param inOffset first byte.
     * @param length number of bytes.
     */
    default void absorb(final byte[] in, final int inOffset, final int length)
    {
        final byte[] scratch = new byte[Math.min(length, ABSORB_CHUNK)];
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(scratch.length, length - done);
            update(in, inOffset + done, n, scratch, 0);
            done += n;
        }
    }

    /** Ends an encryption and writes the 16-byte tag. */
    void finishTag(byte[] tagOut, int tagOffset);

    /** Ends a decryption. @return whether the 16-byte tag authenticates the record. */
    boolean verifyTag(byte[] tag, int tagOffset);

    /**
     * Seals or opens a whole record in one call.
     *
     * @return true, or false when decrypting and the tag did not verify (the output must then not be used).
     */
    boolean sealOrOpenWhole(boolean encrypt, byte[] nonce12, int nonceOffset, byte[] aadBytes, int aadOffset,
        int aadLen, byte[] in, int inOffset, int textLen, byte[] out, int outOffset);

    /** @return bytes of record text processed since {@link #start}. */
    long position();

    /** @return whether the state is encrypting. */
    boolean isEncrypting();

    /** Frees what the state holds outside the heap (a native kernel's key schedule, wiped); no checked exception. */
    @Override
    void close();
}
