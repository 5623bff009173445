package io.tlsnic.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The threaded runner moves every byte exactly, with the device on one thread and the hosts on another, with and
 * without loss; it finishes within a generous bound of duty cycles (never a wall-clock bound) and joins both
 * threads before it returns. Each flow checks every byte it receives and throws at the first wrong one.
 */
class ThreadedRunTest
{
    private static final int FLOWS = 4;
    private static final long BYTES = 1 << 20;
    /** Duty cycles either thread may take: many times what a run needs even on a loaded machine. */
    private static final long CYCLE_LIMIT = 500_000_000L;

    @Test
    void shouldDeliverEveryByteWithOffloadAndNoLoss()
    {
        final ThreadedRun.Result r = ThreadedRun.run(true, 0, FLOWS, BYTES, 11, CYCLE_LIMIT);
        assertEquals(2 * FLOWS * BYTES, r.payloadBytes());
        assertEquals(0, r.framesDropped());
        assertTrue(r.recordsDevice() > 0, "the device decrypted no record: " + r);
    }

    @Test
    void shouldDeliverEveryByteWithOffloadAtFivePercentLoss()
    {
        final ThreadedRun.Result r = ThreadedRun.run(true, 5, FLOWS, BYTES, 12, CYCLE_LIMIT);
        assertEquals(2 * FLOWS * BYTES, r.payloadBytes());
        assertTrue(r.framesDropped() > 0, "the link lost nothing: " + r);
        assertTrue(r.recordsMixed() + r.recordsSoftware() > 0, "loss left every record to the device: " + r);
    }

    @Test
    void shouldDeliverEveryByteInSoftwareAtFivePercentLoss()
    {
        final ThreadedRun.Result r = ThreadedRun.run(false, 5, FLOWS, BYTES, 13, CYCLE_LIMIT);
        assertEquals(2 * FLOWS * BYTES, r.payloadBytes());
        assertTrue(r.framesDropped() > 0, "the link lost nothing: " + r);
        assertEquals(0, r.recordsDevice() + r.recordsMixed(), "records decrypted by a device without TLS: " + r);
    }
}
