package io.tlsnic.wire.sim;

/** Source of time in nanoseconds: virtual in deterministic mode, {@link System#nanoTime()} in threaded mode. */
@FunctionalInterface
public interface NanoClock
{
    /** @return current time in nanoseconds. */
    long nanoTime();
}
