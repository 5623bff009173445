package io.tlsnic.harness.scenario;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Programs outside the JVM that tests check our outputs with: present on CI (.ci/run installs them), optional elsewhere. */
final class ExternalTools
{
    private ExternalTools()
    {
    }

    /**
     * @param names candidate executables.
     * @return the first one on the PATH; skips the test when none is and this is not CI, fails it on CI.
     */
    static String require(final String... names)
    {
        for (final String name : names)
        {
            for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
            {
                if (Files.isExecutable(Path.of(dir, name)))
                {
                    return Path.of(dir, name).toString();
                }
            }
        }
        if ("true".equals(System.getenv("CI")))
        {
            fail(String.join(" or ", names) + " is not installed; .ci/run installs it on CI");
        }
        Assumptions.assumeTrue(false, String.join(" or ", names) + " not installed: check skipped (runs on CI)");
        return null;
    }

    /** @return the command's standard output; fails the test on a non-zero exit or after two minutes. */
    static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream())
        {
            in.transferTo(out);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        if (p.exitValue() != 0)
        {
            fail("exit " + p.exitValue() + ": " + command);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
