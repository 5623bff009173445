package io.tlsnic.harness.cli;

/** Bad input from the user (a file, a value): one line naming what and where, exit code 3, no stack trace. */
public final class InputException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where (file, line, packet). */
    public InputException(final String message)
    {
        super(message, null, false, false);
    }
}
