package io.tlsnic.harness.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long run on standard error: a bar redrawn in place on a terminal, plain lines every ten seconds
 * (and at each tenth done) when not a terminal, so logs and CI stay readable. Wall-clock time is used for pacing
 * the display only; nothing it prints goes into a report.
 */
final class Progress
{
    private static final long PLAIN_INTERVAL_NS = 10_000_000_000L;
    private static final long BAR_INTERVAL_NS = 200_000_000L;
    private static final int BAR = 30;

    private final PrintStream err;
    private final String what;
    private final long total;
    private final boolean terminal;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;
    private int lastTenth;
    private boolean drawn;

    Progress(final PrintStream err, final String what, final long total, final boolean terminal)
    {
        this.err = err;
        this.what = what;
        this.total = Math.max(1, total);
        this.terminal = terminal;
    }

    /** @return whether standard error looks like a terminal (a console, and no CI variable set). */
    static boolean isTerminal()
    {
        return System.console() != null && System.getenv("CI") == null;
    }

    /** @param done units done so far. */
    void update(final long done)
    {
        final long now = System.nanoTime();
        final double share = Math.min(1.0, (double)done / total);
        final int tenth = (int)(share * 10);
        if (terminal)
        {
            if (now - lastNs >= BAR_INTERVAL_NS || done >= total)
            {
                lastNs = now;
                final int filled = (int)(share * BAR);
                err.printf(Locale.ROOT, "\r%s [%s%s] %5.1f%% %6.1f s", what, "#".repeat(filled), ".".repeat(BAR - filled),
                    share * 100, (now - startNs) / 1e9);
                err.flush();
                drawn = true;
            }
        }
        else if (now - lastNs >= PLAIN_INTERVAL_NS || tenth > lastTenth)
        {
            lastNs = now;
            lastTenth = tenth;
            err.printf(Locale.ROOT, "%s: %.0f%% (%d of %d), %.1f s%n", what, share * 100, done, total,
                (now - startNs) / 1e9);
        }
    }

    /** Ends the bar's line on a terminal. */
    void finish()
    {
        if (terminal && drawn)
        {
            err.println();
        }
    }
}
