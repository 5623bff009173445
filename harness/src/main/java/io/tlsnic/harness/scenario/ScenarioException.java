package io.tlsnic.harness.scenario;

/** A scenario that cannot run as given: the message is one line naming the file, the key and what is wrong. */
public final class ScenarioException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** @param message one line. */
    public ScenarioException(final String message)
    {
        super(message, null, false, false);
    }
}
