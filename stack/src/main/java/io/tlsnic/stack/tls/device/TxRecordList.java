package io.tlsnic.stack.tls.device;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The TX records of one offloaded connection, kept from the moment they are handed to TCP until they are fully
 * ACKed, so that a retransmitted segment can be mapped back to its record (Linux {@code tls_device.c}:
 * {@code records_list}, {@code tls_get_record}, {@code tls_icsk_clean_acked}; tls-offload.rst "the host keeps a
 * record list until ACKed").
 * <p>
 * Install puts a zero-length <em>start marker</em> at the socket's write seq ({@code start_marker_record}); it
 * holds the record number just before the first offloaded record ({@code unacked_record_sn = rec_seq - 1}), so a
 * look-up of a seq before the marker returns the marker: the bytes were sent before offload started and go out
 * unmodified. Once the marker is ACKed and freed, such a seq is not found at all (the caller drops the segment,
 * {@code tx_tls_drop_no_sync_data}).
 * <p>
 * The list is a ring indexed by absolute positions that only grow, so the retransmit hint
 * ({@code retransmit_hint}) survives frees of older records and repeated look-ups near the hint are O(1).
 * All sequence comparisons are wrap-aware on 32 bits.
 */
public final class TxRecordList
{
    private static final List<ByteBuffer> NO_FRAGMENTS = List.of();

    private TxRecord[] ring = new TxRecord[16];
    private long headIndex;
    private long tailIndex;
    private long hintIndex = -1;
    private long nextStartSeq;
    private long nextRecordNumber;
    private int lastLookupSteps;

    /**
     * Creates the list with its start marker ({@code tls_set_device_offload}).
     *
     * @param writeSeq          the socket's write seq at install: where the first offloaded record starts.
     * @param firstRecordNumber record number of the first offloaded record ({@code crypto_info.rec_seq}).
     */
    public TxRecordList(final long writeSeq, final long firstRecordNumber)
    {
        TcpSeq.requireSeq("write seq", writeSeq);
        nextStartSeq = writeSeq;
        nextRecordNumber = firstRecordNumber;
        push(new TxRecord(writeSeq, writeSeq, firstRecordNumber - 1, 0, NO_FRAGMENTS, true));
    }

    /**
     * Appends the record just handed to TCP ({@code tls_push_record} on the device path).
     *
     * @param startSeq        TCP seq of its header; must be where the previous record ended.
     * @param wireLength      header + explicit nonce + ciphertext + tag bytes, at least 1.
     * @param plaintextLength content bytes.
     * @param fragments       the plaintext, referenced (not copied); read-only views are kept.
     * @return the record, numbered one after the previous one.
     * @throws IllegalArgumentException when the record does not continue the stream.
     */
    public TxRecord append(
        final long startSeq, final int wireLength, final int plaintextLength, final List<ByteBuffer> fragments)
    {
        TcpSeq.requireSeq("record start seq", startSeq);
        if (startSeq != nextStartSeq)
        {
            throw new IllegalArgumentException("record at tcp seq " + startSeq + " does not continue the stream at " +
                nextStartSeq + " (record " + Long.toUnsignedString(nextRecordNumber) + ")");
        }
        if (wireLength <= 0 || plaintextLength < 0 || plaintextLength > wireLength)
        {
            throw new IllegalArgumentException("record wire length " + wireLength + " with plaintext " +
                plaintextLength + " at tcp seq " + startSeq);
        }
        final ByteBuffer[] views = new ByteBuffer[fragments.size()];
        for (int i = 0; i < views.length; i++)
        {
            views[i] = fragments.get(i).asReadOnlyBuffer();
        }
        final long endSeq = TcpSeq.add(startSeq, wireLength);
        final TxRecord record = new TxRecord(
            startSeq, endSeq, nextRecordNumber, plaintextLength, List.of(views), false);
        push(record);
        nextStartSeq = endSeq;
        nextRecordNumber++;
        return record;
    }

    /**
     * Finds the record holding {@code tcpSeq} (Linux {@code tls_get_record}): the first record whose end is after
     * the seq, starting from the hint when the seq is not before the hinted record.
     *
     * @param tcpSeq a TCP seq of the TX stream.
     * @return the record containing it (its {@link TxRecord#recordNumber()} is the one to resync to); the start
     *     marker when the seq precedes offload; {@code null} when the seq is in a record already ACKed and freed,
     *     or at or beyond the end of the last record.
     */
    public TxRecord lookup(final long tcpSeq)
    {
        TcpSeq.requireSeq("tcp seq", tcpSeq);
        lastLookupSteps = 0;
        final TxRecord hint = hintIndex >= headIndex ? at(hintIndex) : null;
        long index;
        if (hint == null || TcpSeq.before(tcpSeq, hint.startSeq()))
        {
            if (headIndex == tailIndex)
            {
                return null;
            }
            final TxRecord first = at(headIndex);
            if (!first.isStartMarker() && !TcpSeq.between(tcpSeq, first.startSeq(), at(tailIndex - 1).endSeq()))
            {
                return null;
            }
            index = headIndex;
        }
        else
        {
            index = hintIndex;
        }
        for (; index < tailIndex; index++)
        {
            lastLookupSteps++;
            final TxRecord record = at(index);
            if (TcpSeq.before(tcpSeq, record.endSeq()))
            {
                if (hint == null || TcpSeq.after(record.endSeq(), hint.endSeq()))
                {
                    hintIndex = index;
                }
                return record;
            }
        }
        return null;
    }

    /**
     * Frees every record that the peer has fully acknowledged (Linux {@code tls_icsk_clean_acked}).
     *
     * @param sndUna first unacknowledged TCP seq.
     * @return records freed.
     */
    public int onAckAdvanced(final long sndUna)
    {
        TcpSeq.requireSeq("snd_una", sndUna);
        int freed = 0;
        while (headIndex < tailIndex && !TcpSeq.before(sndUna, at(headIndex).endSeq()))
        {
            if (hintIndex == headIndex)
            {
                hintIndex = -1;
            }
            ring[slot(headIndex)] = null;
            headIndex++;
            freed++;
        }
        return freed;
    }

    /** @return records held, the start marker included while it is. */
    public int size()
    {
        return (int)(tailIndex - headIndex);
    }

    /** @return the oldest record held, or {@code null}. */
    public TxRecord first()
    {
        return headIndex == tailIndex ? null : at(headIndex);
    }

    /** @return the newest record held, or {@code null}. */
    public TxRecord last()
    {
        return headIndex == tailIndex ? null : at(tailIndex - 1);
    }

    /** @return TCP seq where the next appended record must start. */
    public long nextStartSeq()
    {
        return nextStartSeq;
    }

    /** @return record number the next appended record gets. */
    public long nextRecordNumber()
    {
        return nextRecordNumber;
    }

    /** @return records examined by the last {@link #lookup} (1 when the hint hit), for cost accounting and tests. */
    public int lastLookupSteps()
    {
        return lastLookupSteps;
    }

    private void push(final TxRecord record)
    {
        if (tailIndex - headIndex == ring.length)
        {
            final TxRecord[] bigger = new TxRecord[ring.length * 2];
            for (long i = headIndex; i < tailIndex; i++)
            {
                bigger[(int)(i & (bigger.length - 1))] = at(i);
            }
            Arrays.fill(ring, null);
            ring = bigger;
        }
        ring[slot(tailIndex)] = record;
        tailIndex++;
    }

    private TxRecord at(final long index)
    {
        return ring[slot(index)];
    }

    private int slot(final long index)
    {
        return (int)(index & (ring.length - 1));
    }
}
