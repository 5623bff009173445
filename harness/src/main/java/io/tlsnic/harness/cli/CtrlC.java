package io.tlsnic.harness.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clean interruption of a long run: on Ctrl-C (SIGINT, the JVM's shutdown) the run is told to stop, and the shutdown
 * waits (up to two minutes) until the run has written what it did and {@link #close()}d this; the process then exits
 * with 130. Without Ctrl-C, {@link #close()} just removes the hook.
 */
final class CtrlC implements AutoCloseable
{
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    /** @param onRequest called on the shutdown thread when Ctrl-C arrives (e.g. to stop a simulation). */
    CtrlC(final Runnable onRequest)
    {
        hook = new Thread(() ->
        {
            requested.set(true);
            onRequest.run();
            try
            {
                finished.await(120, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "tlsnic-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** @return whether Ctrl-C arrived. */
    boolean requested()
    {
        return requested.get();
    }

    /** The run has written what it did. */
    @Override
    public void close()
    {
        finished.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException e)
        {
            // Shutting down after Ctrl-C: the hook is running and has just been released.
        }
    }
}
