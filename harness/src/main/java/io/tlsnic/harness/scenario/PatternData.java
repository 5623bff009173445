package io.tlsnic.harness.scenario;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bytes a benchmark stream carries, from a seed: byte {@code i} of a stream with shift {@code s} is byte
 * {@code (i + s) mod PERIOD} of one seeded random pattern, so the sender sends from it and the receiver checks
 * every byte against it with no generator on the data path (a benchmark should time the device and the stack, not
 * a random-number generator). The period, {@value #PERIOD} bytes, is prime, so it is a multiple of no record or
 * segment length: a record delivered in the wrong place, or twice, does not match.
 */
final class PatternData
{
    /** Length of the pattern's period (a prime just below 1 MiB). */
    static final int PERIOD = 1_048_573;
    /** Longest run handed to {@link #source} or {@link #matches} at once. */
    static final int MAX_RUN = 65536;

    /** The period, then its first {@link #MAX_RUN} bytes again, so that every run is one contiguous range. */
    private final byte[] bytes = new byte[PERIOD + MAX_RUN];

    /** @param seed seed of the pattern. */
    PatternData(final long seed)
    {
        final byte[] period = new byte[PERIOD];
        new SplittableRandom(seed).nextBytes(period);
        System.arraycopy(period, 0, bytes, 0, PERIOD);
        System.arraycopy(period, 0, bytes, PERIOD, MAX_RUN);
    }

    /** @return the pattern array: a stream's byte {@code i} is at {@link #offset}{@code (i, shift)} in it. */
    byte[] source()
    {
        return bytes;
    }

    /**
     * @param streamIndex byte index in the stream.
     * @param shift the stream's shift.
     * @return where that byte is in {@link #source()}; the next {@link #MAX_RUN} - 1 bytes follow it there.
     */
    static int offset(final long streamIndex, final int shift)
    {
        return (int)((streamIndex + shift) % PERIOD);
    }

    /**
     * @param received bytes received.
     * @param length how many, at most {@link #MAX_RUN}.
     * @param streamIndex stream index of the first of them.
     * @param shift the stream's shift.
     * @return whether they are the stream's bytes.
     */
    boolean matches(final byte[] received, final int length, final long streamIndex, final int shift)
    {
        final int from = offset(streamIndex, shift);
        return Arrays.equals(received, 0, length, bytes, from, from + length);
    }
}
