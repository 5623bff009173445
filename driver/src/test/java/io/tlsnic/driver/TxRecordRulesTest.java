package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.dev.FlowTuple;
import io.tlsnic.stack.dev.TlsDirection;
import io.tlsnic.stack.dev.TlsTxOffload;
import io.tlsnic.stack.dev.TxPacket;
import io.tlsnic.stack.dev.TxRecordRef;
import io.tlsnic.wire.frame.FrameBuilder;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.link.LinkPort;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The TX rules for a segment the device's context does not expect (OFFLOAD-CONTRACT section 4): before the start
 * marker it goes unmodified, straddling the marker or in a record already ACKed and freed it is dropped.
 */
class TxRecordRulesTest
{
    private static final long START = 5000;

    private final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    private final HostMemory memory = new HostMemory();
    private final Nic nic = new Nic("nic", NicConfig.defaults(), memory, scheduler);
    private final NicDriver driver = new NicDriver("eth", nic, memory, DriverConfig.defaults());
    private final List<byte[]> wire = new ArrayList<>();
    private int handle;

    /** The far end of the link: records what arrives. */
    private final LinkPort sink = new LinkPort()
    {
        @Override
        public void attach(final Link link)
        {
        }

        @Override
        public void receiveFrame(final byte[] frame, final int length)
        {
            wire.add(Arrays.copyOf(frame, length));
        }
    };

    /** Offload state whose record list is what each test says. */
    private TxRecordRef answer;
    private final TlsTxOffload offload = new TlsTxOffload()
    {
        @Override
        public int deviceHandle()
        {
            return handle;
        }

        @Override
        public TxRecordRef recordAt(final long tcpSeq)
        {
            return answer;
        }

        @Override
        public byte[] encryptInSoftware(final long tcpSeq, final int length)
        {
            return null;
        }
    };

    TxRecordRulesTest()
    {
        new Link(scheduler, nic, sink, 1000, 100, LinkFaults.none());
        final byte[] key = new byte[16];
        final CryptoInfo info = CryptoInfo.of(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, new byte[8], key, new byte[4], 1);
        handle = driver.add(TlsDirection.TX, info, START, new FlowTuple(0, 0x0000_FFFF_0A00_0001L, 1234, 0,
            0x0000_FFFF_0A00_0002L, 443), new io.tlsnic.stack.dev.TlsOffloadSocket() { });
        assertTrue(handle > 0);
        run();
    }

    @AfterEach
    void release()
    {
        memory.close();
    }

    @Test
    void shouldSendASegmentFromBeforeTheStartMarkerUnmodified()
    {
        answer = new TxRecordRef(TxRecordRef.Kind.BEFORE_OFFLOAD, START, 0, null);
        final byte[] frame = frame(1000, 100);
        driver.transmit(packet(frame, 1000));
        run();
        assertEquals(1, wire.size());
        assertArrayEquals(frame, wire.get(0), "pre-offload bytes go out as the stack made them");
        assertEquals(1, nic.counters().get(NicCounters.TX_TLS_SKIP_NO_SYNC_DATA));
    }

    @Test
    void shouldDropASegmentStraddlingTheStartMarker()
    {
        answer = new TxRecordRef(TxRecordRef.Kind.BEFORE_OFFLOAD, START, 0, null);
        driver.transmit(packet(frame((int)START - 50, 100), START - 50));
        run();
        assertEquals(0, wire.size(), "half of it would be cleartext of the offloaded flow");
        assertEquals(1, nic.counters().get(NicCounters.TX_TLS_DROP_NO_SYNC_DATA));
    }

    @Test
    void shouldDropARetransmissionOfARecordAlreadyAckedAndFreed()
    {
        answer = TxRecordRef.UNAVAILABLE;
        driver.transmit(packet(frame((int)START + 100, 100), START + 100));
        run();
        assertEquals(0, wire.size());
        assertEquals(1, nic.counters().get(NicCounters.TX_TLS_DROP_NO_SYNC_DATA));
    }

    private TxPacket packet(final byte[] frame, final long seq)
    {
        return new TxPacket(frame, frame.length, frame.length - 100, seq, 0, offload);
    }

    private static byte[] frame(final int seq, final int payload)
    {
        final FrameBuilder builder = new FrameBuilder().ethernet(2, 1).ipv4(0x0A00_0001, 0x0A00_0002).ports(1234, 443);
        final int header = builder.headerLength();
        final byte[] frame = new byte[header + payload];
        Arrays.fill(frame, header, frame.length, (byte)'p');
        builder.write(BytesStore.wrap(frame), 0, seq & 0xFFFF_FFFFL, 0, 0x18, 1000, payload);
        return frame;
    }

    private void run()
    {
        scheduler.runAgents(new Agent[] {driver, nic}, scheduler.nowNs() + 1_000_000_000L, () -> false);
    }
}
