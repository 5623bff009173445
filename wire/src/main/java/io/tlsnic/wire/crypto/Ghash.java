package io.tlsnic.wire.crypto;

/**
 * GHASH, the universal hash of GCM (NIST SP 800-38D §6.4), as a running state over whole 16-byte blocks.
 * Callers carry partial blocks themselves; the state knows nothing of AAD, lengths or tags.
 *
 * <p>Two implementations: {@link JdkGhash} drives the JDK's own intrinsified GHASH (PCLMULQDQ) and is the data
 * path; {@link PortableGhash} is plain Java, used when the JDK class cannot be reached and as an independent
 * cross-check in tests. {@link #create(byte[])} picks the fast one when it is available.
 */
public abstract class Ghash
{
    /** Block size of GHASH in bytes. */
    public static final int BLOCK_LENGTH = 16;

    /**
     * @param h the hash subkey H = E_K(0^128), 16 bytes.
     * @return the fastest GHASH this JVM allows.
     */
    public static Ghash create(final byte[] h)
    {
        return JdkGhash.isAvailable() ? new JdkGhash(h) : new PortableGhash(h);
    }

    /** @return a short name of the implementation for reports ("jdk-intrinsic" or "portable"). */
    public static String implementationName()
    {
        return JdkGhash.isAvailable() ? "jdk-intrinsic" : "portable";
    }

    /** Resets the state to zero, ready for a new message under the same H. */
    public abstract void reset();

    /**
     * Absorbs whole blocks.
     *
     * @param in source.
     * @param offset first byte.
     * @param length a multiple of 16.
     */
    public abstract void updateBlocks(byte[] in, int offset, int length);

    /**
     * Writes the current state (the GHASH value so far) without changing it.
     *
     * @param out destination of 16 bytes.
     * @param offset where to write.
     */
    public abstract void digest(byte[] out, int offset);
}
