package io.tlsnic.wire.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.tlsnic.wire.util.Hex;

/**
 * Test helpers: the repository's {@code vectors/} folder (Surefire passes it as {@code tlsnic.vectors}), hex, and an
 * independent AES-GCM open straight from the JDK.
 */
public final class Vectors
{
    private Vectors()
    {
    }

    /**
     * @param relative path below {@code vectors/}, e.g. "wycheproof/aes_gcm_test.json".
     * @return the file, which must exist.
     */
    public static Path file(final String relative)
    {
        final String configured = System.getProperty("tlsnic.vectors");
        Path base = configured != null ? Paths.get(configured) : null;
        if (base == null || !Files.isDirectory(base))
        {
            Path dir = Paths.get("").toAbsolutePath();
            while (dir != null && !Files.isDirectory(dir.resolve("vectors")))
            {
                dir = dir.getParent();
            }
            if (dir == null)
            {
                throw new IllegalStateException("no vectors/ folder above " + Paths.get("").toAbsolutePath());
            }
            base = dir.resolve("vectors");
        }
        final Path p = base.resolve(relative);
        if (!Files.isRegularFile(p))
        {
            throw new IllegalStateException("missing test vector file " + p);
        }
        return p;
    }

    /**
     * @param hex hex digits, whitespace ignored.
     * @return the bytes.
     */
    public static byte[] hex(final String hex)
    {
        return Hex.decode(hex);
    }

    /**
     * @param bytes bytes.
     * @return lower-case hex.
     */
    public static String hex(final byte[] bytes)
    {
        return Hex.encode(bytes);
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
