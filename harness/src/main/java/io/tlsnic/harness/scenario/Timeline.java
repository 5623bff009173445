package io.tlsnic.harness.scenario;

import java.util.Arrays;

/**
 * What happened to one direction of a flow over virtual time, for the charts: each segment the receiving device's
 * RX tracker saw (time, TCP seq relative to the first, tracker state after it, completion status) and each record
 * the receiving socket classified (time, class). Kept as packed arrays: a 64 MiB scenario has some 10^5 points.
 */
public final class Timeline
{
    private long[] segments = new long[4096];
    private int segmentCount;
    private long[] records = new long[1024];
    private int recordCount;
    private long firstSeq = -1;

    void segment(final long timeNs, final long tcpSeq, final int state, final int status)
    {
        if (firstSeq < 0)
        {
            firstSeq = tcpSeq;
        }
        if (segmentCount * 3 + 3 > segments.length)
        {
            segments = Arrays.copyOf(segments, segments.length * 2);
        }
        segments[segmentCount * 3] = timeNs;
        segments[segmentCount * 3 + 1] = (int)(tcpSeq - firstSeq);
        segments[segmentCount * 3 + 2] = state << 8 | status;
        segmentCount++;
    }

    void record(final long timeNs, final int recordClass)
    {
        if (recordCount * 2 + 2 > records.length)
        {
            records = Arrays.copyOf(records, records.length * 2);
        }
        records[recordCount * 2] = timeNs;
        records[recordCount * 2 + 1] = recordClass;
        recordCount++;
    }

    /** @return segments seen by the device. */
    public int segments()
    {
        return segmentCount;
    }

    /** @return virtual time of segment {@code i}. */
    public long segmentTimeNs(final int i)
    {
        return segments[i * 3];
    }

    /** @return TCP seq of segment {@code i}, relative to the first one the device saw (negative: before it). */
    public long segmentSeq(final int i)
    {
        return segments[i * 3 + 1];
    }

    /** @return tracker state ordinal ({@code TrackerState}) after segment {@code i}. */
    public int segmentState(final int i)
    {
        return (int)(segments[i * 3 + 2] >>> 8);
    }

    /** @return completion TLS status of segment {@code i}. */
    public int segmentStatus(final int i)
    {
        return (int)(segments[i * 3 + 2] & 0xFF);
    }

    /** @return records classified. */
    public int records()
    {
        return recordCount;
    }

    /** @return virtual time record {@code i} was delivered. */
    public long recordTimeNs(final int i)
    {
        return records[i * 2];
    }

    /** @return class ordinal ({@code RecordClass}) of record {@code i}. */
    public int recordClass(final int i)
    {
        return (int)records[i * 2 + 1];
    }
}
