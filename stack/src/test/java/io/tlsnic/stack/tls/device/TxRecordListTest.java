package io.tlsnic.stack.tls.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The TX record list of tls_device.c: start marker, look-up at every boundary, 32-bit wrap, free on ACK. */
class TxRecordListTest
{
    private static final long NEAR_WRAP = 0xFFFF_FF00L;

    private static List<TxRecord> fill(final TxRecordList list, final int... wireLengths)
    {
        final List<TxRecord> records = new ArrayList<>();
        for (final int length : wireLengths)
        {
            records.add(list.append(list.nextStartSeq(), length, length - 29,
                List.of(ByteBuffer.wrap(new byte[length - 29]))));
        }
        return records;
    }

    private static long seq(final long s)
    {
        return s & 0xFFFF_FFFFL;
    }

    @Test
    void shouldStartWithZeroLengthMarkerNumberedBeforeFirstRecord()
    {
        final TxRecordList list = new TxRecordList(1000, 5);
        assertEquals(1, list.size());
        final TxRecord marker = list.first();
        assertTrue(marker.isStartMarker());
        assertEquals(0, marker.wireLength());
        assertEquals(4, marker.recordNumber());
        assertSame(marker, list.lookup(999), "pre-offload bytes map to the marker");
        assertSame(marker, list.lookup(seq(1000 - 0x7000_0000L)));
        assertNull(list.lookup(1000), "nothing sent after the marker yet");
        final TxRecord first = fill(list, 100).get(0);
        assertEquals(5, first.recordNumber());
        assertSame(first, list.lookup(1000));
    }

    @Test
    void shouldFindRecordAtEveryBoundaryAcrossTheSequenceWrap()
    {
        final TxRecordList list = new TxRecordList(NEAR_WRAP, 0);
        final List<TxRecord> records = fill(list, 100, 29, 16413, 200, 50);
        assertTrue(records.get(2).endSeq() < records.get(2).startSeq(), "record 2 straddles 2^32");
        for (final TxRecord r : records)
        {
            assertSame(r, list.lookup(r.startSeq()));
            assertSame(r, list.lookup(seq(r.endSeq() - 1)));
            assertSame(r, list.lookup(seq(r.startSeq() + r.wireLength() / 2)));
        }
        assertNull(list.lookup(list.nextStartSeq()));
        assertNull(list.lookup(seq(list.nextStartSeq() + 5000)));
        assertSame(list.first(), list.lookup(seq(NEAR_WRAP - 1)));
        assertSame(records.get(2), list.lookup(0), "seq 0 lies in the record that straddles the wrap");
        assertEquals(2, list.lookup(0).recordNumber());
    }

    @Test
    void shouldUseTheHintForRepeatedAndForwardLookups()
    {
        final TxRecordList list = new TxRecordList(0, 0);
        final List<TxRecord> records = fill(list, lengths(40, 1000));
        assertSame(records.get(30), list.lookup(records.get(30).startSeq() + 10));
        assertEquals(32, list.lastLookupSteps(), "first look-up walks from the marker");
        assertSame(records.get(30), list.lookup(records.get(30).startSeq() + 20));
        assertEquals(1, list.lastLookupSteps(), "the hint hits");
        assertSame(records.get(32), list.lookup(records.get(32).startSeq()));
        assertEquals(3, list.lastLookupSteps(), "forward from the hint");
        assertSame(records.get(2), list.lookup(records.get(2).startSeq()));
        assertEquals(4, list.lastLookupSteps(), "a seq before the hint restarts at the head");
    }

    private static int[] lengths(final int n, final int length)
    {
        final int[] out = new int[n];
        java.util.Arrays.fill(out, length);
        return out;
    }

    @Test
    void shouldFreeRecordsOnlyWhenFullyAckedAndForgetTheHint()
    {
        final TxRecordList list = new TxRecordList(NEAR_WRAP, 10);
        final List<TxRecord> records = fill(list, 300, 300, 300);
        assertSame(records.get(1), list.lookup(records.get(1).startSeq()));
        assertEquals(0, list.onAckAdvanced(seq(NEAR_WRAP - 1)));
        assertEquals(1, list.onAckAdvanced(NEAR_WRAP), "the marker goes with the first ACK at the install point");
        assertNull(list.lookup(seq(NEAR_WRAP - 1)), "pre-offload bytes are no longer known: drop");
        assertEquals(0, list.onAckAdvanced(seq(records.get(0).endSeq() - 1)));
        assertEquals(2, list.onAckAdvanced(records.get(1).endSeq()));
        assertNull(list.lookup(records.get(1).startSeq()), "acked and freed, hint forgotten");
        assertSame(records.get(2), list.lookup(records.get(2).startSeq()));
        assertEquals(12, records.get(2).recordNumber());
        assertEquals(1, list.onAckAdvanced(records.get(2).endSeq()));
        assertEquals(0, list.size());
        assertNull(list.lookup(records.get(2).startSeq()));
        final TxRecord next = fill(list, 100).get(0);
        assertEquals(13, next.recordNumber());
        assertSame(next, list.lookup(next.startSeq()));
    }

    @Test
    void shouldRefuseRecordsThatDoNotContinueTheStreamAndKeepFragmentsReadOnly()
    {
        final TxRecordList list = new TxRecordList(0, 0);
        assertThrows(IllegalArgumentException.class, () -> list.append(5, 100, 71, List.of()));
        assertThrows(IllegalArgumentException.class, () -> list.append(0, 0, 0, List.of()));
        final TxRecord r = list.append(0, 100, 71, List.of(ByteBuffer.allocate(71)));
        assertTrue(r.fragments().get(0).isReadOnly());
    }
}
