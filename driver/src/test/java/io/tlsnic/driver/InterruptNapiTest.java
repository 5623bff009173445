package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.reg.NicRegisters;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpCounter;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * NAPI driven by the device's moderated interrupts: the driver programs the moderation registers, polls a queue only
 * after its interrupt, loses no completion, and a bulk transfer arrives exact with far fewer ACKs than under busy
 * polling, because a poll carries a burst that GRO merges.
 */
class InterruptNapiTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long COALESCE_NS = 8_000;
    private static final int COALESCE_FRAMES = 64;
    private static final int[] SIZES = {16384};

    @TempDir
    Path dir;

    private static DriverConfig interrupts()
    {
        return DriverConfig.defaults().withNapi(DriverConfig.Napi.interrupts(COALESCE_NS, COALESCE_FRAMES));
    }

    @Test
    void shouldProgramTheModerationRegistersOfEveryQueue()
    {
        try (NicHosts net = new NicHosts(NicConfig.defaults(), LinkFaults.none(), 1, false, interrupts()))
        {
            final int queues = (int)net.nicA.registers().read(NicRegisters.QUEUE_COUNT);
            for (int q = 0; q < queues; q++)
            {
                assertEquals(COALESCE_NS, net.nicA.registers().read(NicRegisters.queue(q, NicRegisters.ITR_TIMER_NS)));
                assertEquals(COALESCE_FRAMES,
                    net.nicA.registers().read(NicRegisters.queue(q, NicRegisters.ITR_PACKETS)));
            }
        }
    }

    @Test
    void shouldRejectCoalescingTheDeviceCannotHold()
    {
        assertThrows(IllegalArgumentException.class, () -> DriverConfig.Napi.interrupts(-1, 64));
        assertThrows(IllegalArgumentException.class, () -> DriverConfig.Napi.interrupts(8_000, 0x1_0000));
        assertThrows(IllegalArgumentException.class, () -> DriverConfig.defaults().withNapi(null));
    }

    @Test
    void shouldReapNothingBeforeTheInterruptAndEverythingAfterIt()
    {
        try (NicHosts net = new NicHosts(NicConfig.defaults(), LinkFaults.none(), 2, false, interrupts()))
        {
            final TcpConnection client = net.connect(4431, TcpConfig.defaults());
            // The SYN crosses the wire (20 us) into B's RX ring; B's moderation holds its interrupt for 8 us. Only
            // host A's driver and the devices run here, so B's driver is polled by hand.
            final Agent[] withoutDriverB = {net.driverA, net.nicA, net.nicB};
            final long start = net.scheduler.nowNs();
            net.scheduler.runAgents(withoutDriverB, Long.MAX_VALUE, () -> net.scheduler.nowNs() >= start + 20_000);
            final long arrived = net.scheduler.nowNs();
            assertEquals(0, net.nicB.counters().get(NicCounters.INTERRUPTS));
            assertEquals(0, net.driverB.doWork(), "no poll before the interrupt");
            net.scheduler.runAgents(withoutDriverB, Long.MAX_VALUE,
                () -> net.nicB.counters().get(NicCounters.INTERRUPTS) == 1);
            assertEquals(arrived + COALESCE_NS, net.scheduler.nowNs(), "the interrupt fires when the timer expires");
            assertEquals(1, net.driverB.doWork(), "the poll the interrupt scheduled reaps the SYN");
            assertEquals(0, net.driverB.doWork(), "napi_complete: the next poll waits for the next interrupt");
            assertTrue(net.runUntil(() -> client.state() == TcpState.ESTABLISHED
                && net.server != null, net.scheduler.nowNs() + SECOND), "the handshake completes");
        }
    }

    @Test
    void shouldMoveEveryByteWithAQuarterOfTheAcksOfBusyPollingOnACleanWire() throws IOException
    {
        final long interruptAcks = acksFromServer(interrupts(), 0);
        final long busyAcks = acksFromServer(DriverConfig.defaults(), 0);
        assertTrue(interruptAcks * 4 < busyAcks, "ACKs with interrupts " + interruptAcks + ", busy polling "
            + busyAcks);
    }

    @ParameterizedTest(name = "loss {0}%")
    @ValueSource(doubles = {1, 5})
    void shouldMoveEveryByteWithFewerAcksOfBusyPollingUnderLoss(final double loss) throws IOException
    {
        // Out-of-order segments are acknowledged at once (duplicate ACKs, SACK), so fewer are saved.
        final long interruptAcks = acksFromServer(interrupts(), loss);
        final long busyAcks = acksFromServer(DriverConfig.defaults(), loss);
        assertTrue(interruptAcks < busyAcks, "ACKs with interrupts " + interruptAcks + ", busy polling " + busyAcks);
    }

    /** Moves 8 MiB up and 16 KiB down offloaded, checks every byte, and returns the segments the server sent. */
    private long acksFromServer(final DriverConfig driver, final double loss) throws IOException
    {
        final LinkFaults faults = loss == 0 ? LinkFaults.none() : new LinkFaults(loss, 0.5, 1, 200_000, 5);
        try (NicHosts net = new NicHosts(NicConfig.defaults(), faults, 3, false, driver))
        {
            final OffloadTransferTest.Session s = new OffloadTransferTest.Session(net, TlsVersion.TLS_1_3,
                TlsCipher.AES_GCM_128, 8 << 20, 16 << 10, 9, dir, SIZES);
            s.transfer(600 * SECOND);
            assertTrue(s.client.txOffloaded() && s.server.rxOffloaded(), "offloaded");
            assertTrue(s.countersB.get(TlsStat.TLS_RX_RECORD_DEVICE) > 0, "the server's device decrypted records");
            if (driver.napi().interrupts())
            {
                assertTrue(net.nicB.counters().get(NicCounters.INTERRUPTS) > 0, "the device interrupted");
            }
            // Down is one record: the server's segments are nearly all ACKs of the client's data.
            return s.serverConnection.counters().get(TcpCounter.OUT_SEGS);
        }
    }
}
