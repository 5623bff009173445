package io.tlsnic.harness.scenario;

import java.util.Locale;

/** What the application does on a flow. */
public enum Workload
{
    /** Both sides send {@code bytes} in 16 KiB writes at the same time. */
    BULK("bulk"),
    /** The client sends a request, the server answers it once the whole request arrived, until the budget is met. */
    REQUEST_RESPONSE("request-response"),
    /** Both sides send {@code bytes} in writes of 1..100 bytes: one small record each. */
    SMALL_WRITES("small-writes"),
    /** Both sides send {@code bytes} from a file with {@code sendfile}. */
    SENDFILE("sendfile");

    private final String label;

    Workload(final String label)
    {
        this.label = label;
    }

    /** @return the name used in scenario files and reports. */
    public String label()
    {
        return label;
    }

    /**
     * @param text a label (case-insensitive, '_' or '-').
     * @return the workload, or null if none has that name.
     */
    public static Workload parse(final String text)
    {
        final String t = text.toLowerCase(Locale.ROOT).replace('_', '-');
        for (final Workload w : values())
        {
            if (w.label.equals(t))
            {
                return w;
            }
        }
        return null;
    }
}
