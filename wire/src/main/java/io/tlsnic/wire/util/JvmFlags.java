package io.tlsnic.wire.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags the project needs (Chronicle Bytes' opens/exports, the JDK GHASH, native access), as the build
 * wrote them from the parent POM's {@code tlsnic.jvm.flags} property: the one source for Surefire, exec, JMH forks
 * and the launcher. JDK 24 and later get the extra set that JDK 17 refuses.
 */
public final class JvmFlags
{
    private JvmFlags()
    {
    }

    /**
     * @param featureVersion the Java feature version of the JVM that will run, e.g. 17 or 25.
     * @return the flags for it.
     */
    public static List<String> forJava(final int featureVersion)
    {
        final String name = featureVersion >= 24 ? "jdk24.args" : "jdk17.args";
        try (InputStream in = JvmFlags.class.getResourceAsStream("/io/tlsnic/jvm/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing resource io/tlsnic/jvm/" + name + "; rebuild the project");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return Arrays.asList(text.split("\\s+"));
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read io/tlsnic/jvm/" + name + ": " + e.getMessage(), e);
        }
    }

    /** @return the flags for the running JVM. */
    public static List<String> forThisJvm()
    {
        return forJava(Runtime.version().feature());
    }
}
