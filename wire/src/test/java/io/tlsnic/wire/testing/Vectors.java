package io.tlsnic.wire.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the repository's {@code vectors/} folder (Surefire passes it as {@code tlsnic.vectors}). */
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
}
