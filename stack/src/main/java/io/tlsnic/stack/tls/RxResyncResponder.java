package io.tlsnic.stack.tls;

import io.tlsnic.stack.dev.RxResyncType;
import io.tlsnic.stack.dev.TlsDeviceOps;
import io.tlsnic.stack.dev.TlsDirection;
import io.tlsnic.stack.tls.device.RecordClass;

/**
 * The stack's side of RX resync for one offloaded socket (Linux {@code tls_device_rx_resync_new_rec},
 * {@code tls_device_core_ctrl_rx_resync}, {@code tls_offload_rx_resync_async_request_*}). It sees every record the
 * socket frames, with its TCP seq, number and class, and helps the device by its resync type:
 * <ul>
 *   <li>DEVICE_REQUEST: answers a request when the record starting at the requested seq is framed (or from a short
 *       history when it already was). There is no negative answer: a candidate that is not a record start is
 *       simply never confirmed.</li>
 *   <li>CORE_NEXT_HINT: after 2 fully-encrypted records in a row, once the socket has drained (nothing more
 *       buffered in TCP, no partial record), names the next record start; the interval backs off 2, 4, ... 128,
 *       then +128, and resets when the device decrypts again.</li>
 *   <li>ASYNC: keeps the headers the device reports (its candidate, then its progress) and, from the candidate
 *       on, counts the record headers it frames itself; the first framed header that the device also reported is
 *       answered with its number. When 13 framed headers pass without a match the request is stalled (a false
 *       latch the device keeps following) and is cancelled rather than left to overflow.</li>
 * </ul>
 */
final class RxResyncResponder
{
    private static final int HISTORY = 64;
    private static final int ASYNC_LOG = 13;
    private static final int FIRST_HINT_INTERVAL = 2;
    private static final int MAX_DOUBLING = 128;

    private final TlsDeviceOps ops;
    private final int handle;
    private final RxResyncType type;
    private final TlsCounters counters;
    private final long[] historySeq = new long[HISTORY];
    private final long[] historyNumber = new long[HISTORY];
    private int historyCount;

    private long requestedSeq = -1;

    private static final int DEVICE_LOG = 64;

    private long asyncStart = -1;
    private final long[] deviceHeaders = new long[DEVICE_LOG];
    private int deviceHeaderCount;
    private int asyncLogCount;

    private int hintInterval = FIRST_HINT_INTERVAL;
    private int encryptedRun;
    private long cancelled;

    RxResyncResponder(final TlsDeviceOps ops, final int handle, final TlsCounters counters)
    {
        this.ops = ops;
        this.handle = handle;
        this.type = ops.rxResyncType();
        this.counters = counters;
    }

    /** @return async requests cancelled because the log filled without a match. */
    long cancelled()
    {
        return cancelled;
    }

    /** The device asks to confirm a header candidate at {@code tcpSeq}. */
    void onRequest(final long tcpSeq)
    {
        final long known = numberInHistory(tcpSeq);
        if (known != Long.MIN_VALUE)
        {
            answer(tcpSeq, known);
            return;
        }
        requestedSeq = tcpSeq;
    }

    /** Async: a request starts at a candidate, or the device reports the header it tracks now. */
    void onAsync(final long tcpSeq, final boolean progress)
    {
        if (!progress)
        {
            asyncStart = tcpSeq;
            deviceHeaderCount = 0;
            asyncLogCount = 0;
        }
        else if (asyncStart < 0)
        {
            return;
        }
        deviceHeaders[deviceHeaderCount++ % DEVICE_LOG] = tcpSeq;
        final long known = numberInHistory(tcpSeq);
        if (known != Long.MIN_VALUE)
        {
            asyncStart = -1; // the host already framed it
            answer(tcpSeq, known);
        }
    }

    /**
     * A record was framed.
     *
     * @param tcpSeq its first byte.
     * @param length its length with header.
     * @param number its record number.
     * @param recordClass what the device did to it.
     * @param drained whether nothing more is buffered (TCP queue empty, no partial record).
     */
    void onRecord(final long tcpSeq, final int length, final long number, final RecordClass recordClass,
        final boolean drained)
    {
        final int slot = historyCount++ % HISTORY;
        historySeq[slot] = tcpSeq;
        historyNumber[slot] = number;
        if (requestedSeq >= 0 && requestedSeq == tcpSeq)
        {
            requestedSeq = -1;
            answer(tcpSeq, number);
        }
        if (asyncStart >= 0 && ((tcpSeq - asyncStart) & 0x8000_0000L) == 0)
        {
            asyncLogCount++;
            if (deviceReported(tcpSeq))
            {
                asyncStart = -1;
                answer(tcpSeq, number);
            }
            else if (asyncLogCount == ASYNC_LOG)
            {
                // Stalled: the device's header never showed up among the logged ones; cancel, do not overflow.
                asyncStart = -1;
                cancelled++;
                ops.resync(TlsDirection.RX, handle, tcpSeq, TlsDeviceOps.CANCEL_RESYNC);
            }
        }
        if (type == RxResyncType.CORE_NEXT_HINT)
        {
            hint(tcpSeq, length, number, recordClass, drained);
        }
    }

    private void hint(final long tcpSeq, final int length, final long number, final RecordClass recordClass,
        final boolean drained)
    {
        if (recordClass != RecordClass.SOFTWARE)
        {
            encryptedRun = 0;
            hintInterval = FIRST_HINT_INTERVAL;
            return;
        }
        encryptedRun++;
        if (encryptedRun >= hintInterval && drained)
        {
            answer((tcpSeq + length) & 0xFFFF_FFFFL, number + 1);
            encryptedRun = 0;
            hintInterval = hintInterval < MAX_DOUBLING ? hintInterval * 2 : hintInterval + MAX_DOUBLING;
        }
    }

    private boolean deviceReported(final long tcpSeq)
    {
        for (int i = 0; i < Math.min(deviceHeaderCount, DEVICE_LOG); i++)
        {
            if (deviceHeaders[i] == tcpSeq)
            {
                return true;
            }
        }
        return false;
    }

    private long numberInHistory(final long tcpSeq)
    {
        for (int i = 0; i < Math.min(historyCount, HISTORY); i++)
        {
            if (historySeq[i] == tcpSeq)
            {
                return historyNumber[i];
            }
        }
        return Long.MIN_VALUE;
    }

    private void answer(final long tcpSeq, final long number)
    {
        if (ops.resync(TlsDirection.RX, handle, tcpSeq, number) == 0)
        {
            counters.increment(TlsStat.TLS_RX_DEVICE_RESYNC);
        }
    }
}
