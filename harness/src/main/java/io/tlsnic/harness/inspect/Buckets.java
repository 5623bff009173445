package io.tlsnic.harness.inspect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bucket edges of a histogram: each bucket holds the values from its lower bound up to the next bucket's lower
 * bound (the last one is open-ended).
 */
final class Buckets
{
    /** Record and segment payload lengths in bytes. */
    public static final Buckets BYTES = new Buckets(
        new long[] {0, 64, 256, 1024, 4096, 16384},
        new String[] {"<64", "64-255", "256-1023", "1024-4095", "4096-16383", ">=16384"});
    /** Record starts in one segment: 0 means the segment lies inside one record. */
    public static final Buckets RECORD_STARTS = new Buckets(
        new long[] {0, 1, 2, 3},
        new String[] {"0", "1", "2", "3+"});
    /** Segments that carried one record. */
    public static final Buckets SEGMENTS = new Buckets(
        new long[] {1, 2, 3, 4, 8, 16},
        new String[] {"1", "2", "3", "4-7", "8-15", "16+"});
    /** Header bytes in the first segment of a record whose 5-byte header is split. */
    public static final Buckets HEADER_BYTES = new Buckets(
        new long[] {1, 2, 3, 4},
        new String[] {"1", "2", "3", "4"});

    private final long[] lowerBounds;
    private final String[] labels;

    private Buckets(final long[] lowerBounds, final String[] labels)
    {
        this.lowerBounds = lowerBounds;
        this.labels = labels;
    }

    /** @return the bucket labels, lowest first. */
    public String[] labels()
    {
        return labels.clone();
    }

    /**
     * @param values values in ascending order.
     * @param count  how many of {@code values} are used.
     * @return count per bucket label, every bucket present, lowest first.
     */
    Map<String, Long> count(final long[] values, final int count)
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (final String label : labels)
        {
            counts.put(label, 0L);
        }
        int bucket = 0;
        for (int i = 0; i < count; i++)
        {
            while (bucket + 1 < lowerBounds.length && values[i] >= lowerBounds[bucket + 1])
            {
                bucket++;
            }
            if (values[i] >= lowerBounds[bucket])
            {
                counts.merge(labels[bucket], 1L, Long::sum);
            }
        }
        return counts;
    }
}
