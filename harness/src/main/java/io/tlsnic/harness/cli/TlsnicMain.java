package io.tlsnic.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tlsnic} command line. Exit codes (scripts depend on them):
 * <ul>
 *   <li>0 - done, everything verified;</li>
 *   <li>1 - ran, but a verification failed (a mismatching byte, a record that did not authenticate);</li>
 *   <li>2 - usage error (unknown option, bad value);</li>
 *   <li>3 - bad input (a file that cannot be read or parsed);</li>
 *   <li>4 - internal error (a bug: please report it with the command line);</li>
 *   <li>130 - interrupted (Ctrl-C) during a long run; what was done is written.</li>
 * </ul>
 */
@Command(
    name = "tlsnic",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Emulator of a NIC with inline TLS record offload, with its driver and host stack models.",
    subcommands = {SimulateCommand.class, DemoCommand.class, SweepCommand.class, SoakCommand.class, BenchCommand.class, ReplayBenchCommand.class, ReplayCommand.class, InspectCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  done, everything verified",
        "  1  a verification failed (mismatching bytes, a record that did not authenticate)",
        "  2  usage error",
        "  3  bad input (a file that cannot be read or parsed)",
        "  4  internal error",
        "  130  interrupted (Ctrl-C); what was done is written"})
public final class TlsnicMain implements Runnable
{
    /** Everything verified. */
    public static final int EXIT_OK = 0;
    /** A verification failed. */
    public static final int EXIT_MISMATCH = 1;
    /** Usage error. */
    public static final int EXIT_USAGE = 2;
    /** Bad input. */
    public static final int EXIT_INPUT = 3;
    /** Internal error. */
    public static final int EXIT_INTERNAL = 4;
    /** Interrupted by Ctrl-C during a long run; what was done is written. */
    public static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting (for tests).
     *
     * @param args arguments.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        final CommandLine cli = new CommandLine(new TlsnicMain());
        cli.setExitCodeExceptionMapper(e -> e instanceof InputException ? EXIT_INPUT : EXIT_INTERNAL);
        cli.setParameterExceptionHandler((e, a) ->
        {
            final CommandLine c = e.getCommandLine();
            c.getErr().println("tlsnic: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, p) ->
        {
            if (e instanceof InputException)
            {
                c.getErr().println("tlsnic: " + e.getMessage());
                return EXIT_INPUT;
            }
            c.getErr().println("tlsnic: internal error: " + e);
            c.getErr().println("Please report this with the command line that caused it.");
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
