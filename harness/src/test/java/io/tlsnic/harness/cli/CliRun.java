package io.tlsnic.harness.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code tlsnic} command line run in this JVM as a script sees it: the exit code and what it printed on standard
 * output and standard error (both captured for the run, then restored).
 *
 * @param exitCode the exit code.
 * @param out standard output.
 * @param err standard error.
 */
public record CliRun(int exitCode, String out, String err)
{
    /**
     * @param args the arguments.
     * @return what the command returned and printed.
     */
    public static CliRun of(final String... args)
    {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final int code = TlsnicMain.execute(args);
            System.out.flush();
            System.err.flush();
            return new CliRun(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** @return standard error's lines. */
    public List<String> errLines()
    {
        return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
}
