package io.tlsnic.wire;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test helpers: where the repository's vectors live, hex, and an independent AES-GCM open from the JDK.
 */
public final class TestVectors
{
    private TestVectors()
    {
    }

    /**
     * @param relative path under the repository's vectors/ directory.
     * @return the file, which must exist.
     */
    public static Path path(final String relative)
    {
        final String root = System.getProperty("tlsnic.vectors");
        if (root == null)
        {
            throw new IllegalStateException("system property tlsnic.vectors is not set (Surefire sets it)");
        }
        final Path path = Path.of(root, relative);
        if (!Files.isRegularFile(path))
        {
            throw new IllegalStateException("missing test vector file " + path);
        }
        return path;
    }

    /**
     * @param hex hex digits, whitespace ignored.
     * @return the bytes.
     */
    public static byte[] hex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /**
     * @param bytes bytes.
     * @return lower-case hex.
     */
    public static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Decrypts and authenticates with the JDK's AES/GCM/NoPadding.
     *
     * @param key              AES key.
     * @param nonce            12-byte nonce.
     * @param aad              additional data.
     * @param ciphertextAndTag ciphertext followed by the 16-byte tag.
     * @return the plaintext.
     * @throws GeneralSecurityException when the tag does not verify.
     */
    public static byte[] aesGcmOpen(
        final byte[] key, final byte[] nonce, final byte[] aad, final byte[] ciphertextAndTag)
        throws GeneralSecurityException
    {
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(ciphertextAndTag);
    }
}
