package io.tlsnic.harness.inspect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Every value of one measure (record lengths, segment payload lengths ...), kept so that percentiles are exact and
 * the distributions of several flow directions can be added into a total.
 */
final class Distribution
{
    private long[] values = new long[64];
    private int count;

    /** @param value one more value. */
    public void add(final long value)
    {
        if (count == values.length)
        {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = value;
    }

    /** @param other a distribution whose values are added to this one. */
    public void addAll(final Distribution other)
    {
        for (int i = 0; i < other.count; i++)
        {
            add(other.values[i]);
        }
    }

    /** @return how many values there are. */
    public long count()
    {
        return count;
    }

    /** @return the sum of the values. */
    private long sum()
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += values[i];
        }
        return sum;
    }

    /**
     * Percentiles are nearest-rank (the smallest value at or below which at least p % of the values lie), the mean is
     * rounded half-even to one decimal; all zero when there is no value.
     *
     * @param buckets histogram edges.
     * @return the summary.
     */
    public DistributionFigures figures(final Buckets buckets)
    {
        final long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        if (count == 0)
        {
            return new DistributionFigures(0, 0, 0, 0, BigDecimal.ZERO.setScale(1), 0, 0, buckets.count(sorted, 0));
        }
        final long sum = sum();
        final BigDecimal mean = BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(count), 1, RoundingMode.HALF_EVEN);
        return new DistributionFigures(count, sum, sorted[0], sorted[count - 1], mean, percentile(sorted, 50),
            percentile(sorted, 99), buckets.count(sorted, count));
    }

    private static long percentile(final long[] sorted, final int percent)
    {
        final long rank = (sorted.length * (long)percent + 99) / 100;
        return sorted[(int)Math.max(0, rank - 1)];
    }
}
