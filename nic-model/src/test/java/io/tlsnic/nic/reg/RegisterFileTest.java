package io.tlsnic.nic.reg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.flow.RssIndirectionTable;
import io.tlsnic.nic.flow.ToeplitzHash;
import io.tlsnic.nic.ring.InterruptModerator;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;

/** The register map: rights, validation, side effects, and that every illegal access is counted. */
class RegisterFileTest
{
    private final NicCounterSet counters = new NicCounterSet();
    private final ToeplitzHash rss = new ToeplitzHash();
    private final RssIndirectionTable reta = new RssIndirectionTable(4);
    private final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    private final InterruptModerator[] moderators = new InterruptModerator[4];
    private final NicRegisters registers;
    private final RegisterFile file;

    RegisterFileTest()
    {
        for (int q = 0; q < 4; q++)
        {
            moderators[q] = new InterruptModerator(q, scheduler, queue -> { }, counters);
        }
        registers = new NicRegisters(4, DeviceCapabilities.defaults(), 1024, counters, rss, reta, moderators);
        file = registers.file();
    }

    @Test
    void shouldExposeIdentityAndCapabilitiesReadOnly()
    {
        assertEquals(NicRegisters.DEVICE_ID_VALUE, file.read(NicRegisters.DEVICE_ID));
        assertEquals(DeviceCapabilities.defaults().bits(), file.read(NicRegisters.CAPABILITIES));
        assertEquals(4, file.read(NicRegisters.QUEUE_COUNT));
        assertEquals(1024, file.read(NicRegisters.CTX_CAPACITY));
        assertFalse(file.write(NicRegisters.DEVICE_ID, 0));
        assertFalse(file.write(NicRegisters.queue(1, NicRegisters.TX_HEAD), 5));
        assertEquals(NicRegisters.DEVICE_ID_VALUE, file.read(NicRegisters.DEVICE_ID));
        assertEquals(2, counters.get(NicCounters.REG_WRITE_ILLEGAL));
    }

    @Test
    void shouldCountUnalignedOutOfRangeAndUndefinedAccesses()
    {
        assertFalse(file.write(NicRegisters.CTRL_SQ_BASE + 4, 1), "unaligned");
        assertFalse(file.write(-8, 1), "negative");
        assertFalse(file.write(1 << 24, 1), "out of range");
        assertFalse(file.write(0x0028, 1), "hole in the map");
        assertEquals(0, file.read(NicRegisters.STATUS + 1));
        assertEquals(0, file.read(0x0030));
        assertEquals(4, counters.get(NicCounters.REG_WRITE_ILLEGAL));
        assertEquals(2, counters.get(NicCounters.REG_READ_ILLEGAL));
    }

    @Test
    void shouldValidateRingSizesAndDoorbells()
    {
        final int size = NicRegisters.queue(2, NicRegisters.TX_SIZE);
        final int tail = NicRegisters.queue(2, NicRegisters.TX_TAIL);
        final int head = NicRegisters.queue(2, NicRegisters.TX_HEAD);
        assertFalse(file.write(tail, 1), "no ring size yet: nothing may be posted");
        assertFalse(file.write(size, 12), "not a power of two");
        assertFalse(file.write(size, 1 << 16), "too large");
        assertTrue(file.write(size, 16));
        assertTrue(file.write(tail, 16));
        assertFalse(file.write(tail, 17), "beyond head + size overwrites unconsumed entries");
        assertFalse(file.write(tail, 15), "a tail never goes back");
        file.set(head, 10);
        assertTrue(file.write(tail, 26));
        assertEquals(26, registers.deviceIndex(tail).get());
        assertEquals(5, counters.get(NicCounters.REG_WRITE_ILLEGAL));
    }

    @Test
    void shouldKeepCompletionHeadBetweenOldHeadAndDeviceTail()
    {
        final int head = NicRegisters.queue(0, NicRegisters.CQ_HEAD);
        final int tail = NicRegisters.queue(0, NicRegisters.CQ_TAIL);
        assertFalse(file.write(head, 1), "nothing completed yet");
        file.set(tail, 5);
        assertTrue(file.write(head, 5));
        assertFalse(file.write(head, 4));
        assertFalse(file.write(NicRegisters.CTRL_CQ_HEAD, 1));
        assertEquals(3, counters.get(NicCounters.REG_WRITE_ILLEGAL));
    }

    @Test
    void shouldConfigureModerationThroughItrRegisters()
    {
        assertTrue(file.write(NicRegisters.queue(3, NicRegisters.ITR_TIMER_NS), 50_000));
        assertTrue(file.write(NicRegisters.queue(3, NicRegisters.ITR_PACKETS), 32));
        assertEquals(50_000, moderators[3].timerNs());
        assertEquals(32, moderators[3].packetThreshold());
        assertFalse(file.write(NicRegisters.queue(3, NicRegisters.ITR_TIMER_NS), -1));
        assertFalse(file.write(NicRegisters.queue(3, NicRegisters.ITR_PACKETS), 70_000));
        assertEquals(50_000, file.read(NicRegisters.queue(3, NicRegisters.ITR_TIMER_NS)));
        assertEquals(2, counters.get(NicCounters.REG_WRITE_ILLEGAL));
    }

    @Test
    void shouldProgramIndirectionTableAndRefuseUnknownQueues()
    {
        assertEquals(0x0302_0100_0302_0100L, file.read(NicRegisters.RETA), "round-robin reset value");
        assertTrue(file.write(NicRegisters.RETA + 8, 0x0303_0303_0303_0303L));
        assertEquals(3, reta.queueFor(8));
        assertEquals(3, reta.queueFor(15 + 128 * 7));
        assertFalse(file.write(NicRegisters.RETA, 0x0400_0000_0000_0000L), "queue 4 of 4 does not exist");
        assertEquals(3, reta.queueFor(7));
        assertEquals(1, counters.get(NicCounters.REG_WRITE_ILLEGAL));
    }

    @Test
    void shouldRekeyRssHashFromKeyRegisters()
    {
        final int before = rss.hashIpv4Tcp(0x42_09_95_bb, 0xa1_8e_64_50, 2794, 1766);
        assertEquals(0x51ccc178, before);
        final long k0 = file.read(NicRegisters.RSS_KEY);
        assertEquals(0xc20e5b25da565a6dL, k0, "key bytes 6d 5a 56 da 25 5b 0e c2, little-endian");
        assertTrue(file.write(NicRegisters.RSS_KEY, 0));
        assertNotEquals(before, rss.hashIpv4Tcp(0x42_09_95_bb, 0xa1_8e_64_50, 2794, 1766));
        assertTrue(file.write(NicRegisters.RSS_KEY, k0));
        assertEquals(before, rss.hashIpv4Tcp(0x42_09_95_bb, 0xa1_8e_64_50, 2794, 1766));
    }

    @Test
    void shouldReadCountersThroughTheCounterWindow()
    {
        counters.add(NicCounters.RX_TLS_DECRYPTED_BYTES, 12345);
        assertEquals(12345, file.read(NicRegisters.COUNTERS + 8 * NicCounters.RX_TLS_DECRYPTED_BYTES.id()));
        assertEquals("COUNTER_rx_tls_decrypted_bytes",
            file.nameOf(NicRegisters.COUNTERS + 8 * NicCounters.RX_TLS_DECRYPTED_BYTES.id()));
        assertFalse(file.write(NicRegisters.COUNTERS, 0));
        assertEquals(1, counters.get(NicCounters.REG_WRITE_ILLEGAL));
    }
}
