package io.tlsnic.wire.sim;

/**
 * A component with a duty cycle, in the manner of Agrona's {@code Agent}: {@link #doWork()} does a bounded batch
 * of work and says how much it did, so that the same agent can be driven by a deterministic scheduler, by a test
 * by hand, or by a thread of its own with an idle strategy.
 */
public interface Agent
{
    /**
     * Does a bounded amount of work. Must never throw for bad input from outside (frames, records, descriptors):
     * such input is counted and dropped or passed on, as the component's contract says.
     *
     * @return units of work done, 0 when there was nothing to do.
     */
    int doWork();

    /** @return a short name for logs and reports. */
    String roleName();
}
