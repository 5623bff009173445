package io.tlsnic.harness.inspect;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The summary of a {@link Distribution}.
 *
 * @param count   number of values.
 * @param sum     their sum.
 * @param min     smallest value.
 * @param max     largest value.
 * @param mean    mean, one decimal.
 * @param p50     median (nearest rank).
 * @param p99     99th percentile (nearest rank).
 * @param buckets values per histogram bucket, lowest bucket first.
 */
public record DistributionFigures(
    long count, long sum, long min, long max, BigDecimal mean, long p50, long p99, Map<String, Long> buckets)
{
}
