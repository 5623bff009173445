package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tlsnic.stack.dev.FlowTuple;
import io.tlsnic.stack.dev.RxResyncType;
import io.tlsnic.stack.dev.TlsDeviceOps;
import io.tlsnic.stack.dev.TlsDirection;
import io.tlsnic.stack.dev.TlsOffloadSocket;
import io.tlsnic.stack.tls.device.RecordClass;
import io.tlsnic.wire.tls.CryptoInfo;

/** The stack's answers to a device's RX resync requests, per resync type. */
class RxResyncResponderTest
{
    /** Records every resync the responder sends. */
    private static final class Ops implements TlsDeviceOps
    {
        final RxResyncType type;
        final List<long[]> resyncs = new ArrayList<>();

        Ops(final RxResyncType type)
        {
            this.type = type;
        }

        @Override
        public RxResyncType rxResyncType()
        {
            return type;
        }

        @Override
        public int add(final TlsDirection d, final CryptoInfo i, final long s, final FlowTuple f,
            final TlsOffloadSocket k)
        {
            return 1;
        }

        @Override
        public void del(final TlsDirection d, final int h)
        {
        }

        @Override
        public int resync(final TlsDirection d, final int h, final long seq, final long number)
        {
            resyncs.add(new long[] {seq, number});
            return 0;
        }
    }

    private static final int RECORD = 16406;

    @Test
    void shouldConfirmARequestWhenTheRecordAtItsSeqIsFramed()
    {
        final Ops ops = new Ops(RxResyncType.DEVICE_REQUEST);
        final RxResyncResponder r = new RxResyncResponder(ops, 1, new TlsCounters());
        r.onRecord(1000, RECORD, 7, RecordClass.DEVICE, false);
        r.onRequest(1000 + 2L * RECORD);
        r.onRecord(1000 + RECORD, RECORD, 8, RecordClass.SOFTWARE, false);
        assertEquals(0, ops.resyncs.size(), "not framed yet");
        r.onRecord(1000 + 2L * RECORD, RECORD, 9, RecordClass.SOFTWARE, false);
        assertEquals(1, ops.resyncs.size());
        assertEquals(9, ops.resyncs.get(0)[1]);
        r.onRequest(1000 + RECORD);
        assertEquals(8, ops.resyncs.get(1)[1], "a request for a record already framed is answered from history");
    }

    @Test
    void shouldCancelAStalledAsyncRequestAfterThirteenHeadersWithoutAMatch()
    {
        final Ops ops = new Ops(RxResyncType.ASYNC);
        final RxResyncResponder r = new RxResyncResponder(ops, 1, new TlsCounters());
        final long falseLatch = 1000 + 77; // not a record start: the device latched onto payload
        r.onAsync(falseLatch, false);
        r.onAsync(falseLatch + 500, true);
        for (int i = 1; i <= 13; i++)
        {
            r.onRecord(1000 + (long)i * RECORD, RECORD, i, RecordClass.SOFTWARE, false);
        }
        assertEquals(1, ops.resyncs.size(), "one message: the cancel");
        assertEquals(TlsDeviceOps.CANCEL_RESYNC, ops.resyncs.get(0)[1]);
        assertEquals(1, r.cancelled());
        r.onRecord(1000 + 14L * RECORD, RECORD, 14, RecordClass.SOFTWARE, false);
        assertEquals(1, ops.resyncs.size(), "nothing more once cancelled");
    }

    @Test
    void shouldAnswerAnAsyncRequestWhenAFramedHeaderIsOneTheDeviceReported()
    {
        final Ops ops = new Ops(RxResyncType.ASYNC);
        final RxResyncResponder r = new RxResyncResponder(ops, 1, new TlsCounters());
        r.onAsync(1000 + 3L * RECORD, false);
        r.onAsync(1000 + 4L * RECORD, true);
        r.onRecord(1000 + 3L * RECORD, RECORD, 3, RecordClass.SOFTWARE, false);
        assertEquals(1, ops.resyncs.size());
        assertEquals(1000 + 3L * RECORD, ops.resyncs.get(0)[0]);
        assertEquals(3, ops.resyncs.get(0)[1]);
    }

    @Test
    void shouldHintTheNextRecordAfterEncryptedRecordsWhenDrainedAndBackOff()
    {
        final Ops ops = new Ops(RxResyncType.CORE_NEXT_HINT);
        final RxResyncResponder r = new RxResyncResponder(ops, 1, new TlsCounters());
        long seq = 1000;
        for (int n = 0; n < 2; n++, seq += RECORD)
        {
            r.onRecord(seq, RECORD, n, RecordClass.SOFTWARE, true);
        }
        assertEquals(1, ops.resyncs.size(), "after 2 encrypted records");
        assertEquals(seq, ops.resyncs.get(0)[0], "the next record start");
        assertEquals(2, ops.resyncs.get(0)[1]);
        for (int n = 2; n < 6; n++, seq += RECORD)
        {
            r.onRecord(seq, RECORD, n, RecordClass.SOFTWARE, true);
        }
        assertEquals(2, ops.resyncs.size(), "the interval backed off to 4");
        r.onRecord(seq, RECORD, 6, RecordClass.SOFTWARE, false);
        r.onRecord(seq + RECORD, RECORD, 7, RecordClass.SOFTWARE, false);
        assertEquals(2, ops.resyncs.size(), "no hint while the socket has more buffered");
    }
}
