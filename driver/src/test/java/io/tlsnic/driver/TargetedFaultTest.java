package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** One targeted fault per rule of the contract's RX resync. */
class TargetedFaultTest
{
    private static final long SECOND = 1_000_000_000L;
    /** A TLS 1.3 record of a full 16 KiB write: header 5 + content + type 1 + tag 16. */
    private static final int RECORD = 5 + 16384 + 1 + 16;

    @TempDir
    Path dir;

    @Test
    void shouldSearchAfterLosingAHeaderThenResyncWithTheHostAndTrackAgain() throws IOException
    {
        try (NicHosts net = new NicHosts(NicConfig.defaults(), LinkFaults.none(), 1, false))
        {
            final OffloadTransferTest.Session s = session(net, 2);
            dropSegmentHoldingRecordHeader(net, s, 6);
            s.transfer(3600 * SECOND);
            assertTrue(net.nicB.counters().get(NicCounters.RX_TLS_RESYNC_REQ_START) >= 1, "device searched");
            assertTrue(net.nicB.counters().get(NicCounters.RX_TLS_RESYNC_REQ_END) >= 1, "host confirmed");
            assertTrue(s.countersB.get(TlsStat.TLS_RX_DEVICE_RESYNC) >= 1);
            assertTrue(s.countersB.get(TlsStat.TLS_RX_RECORD_DEVICE) > 50, "tracking again after the resync");
        }
    }

    @Test
    void shouldGiveUpALostRequestAndAskAgain() throws IOException
    {
        try (NicHosts net = new NicHosts(NicConfig.defaults(), LinkFaults.none(), 2, false))
        {
            final OffloadTransferTest.Session s = session(net, 3);
            final boolean[] lostOne = new boolean[1];
            net.driverB.loseResyncRequest = seq ->
            {
                final boolean lose = !lostOne[0];
                lostOne[0] = true;
                return lose;
            };
            dropSegmentHoldingRecordHeader(net, s, 6);
            s.transfer(3600 * SECOND);
            assertTrue(lostOne[0], "a request was lost");
            assertTrue(net.nicB.counters().get(NicCounters.RX_TLS_RESYNC_REQ_SKIP) >= 1, "the device gave it up");
            assertTrue(net.nicB.counters().get(NicCounters.RX_TLS_RESYNC_REQ_END) >= 1, "and a later one was answered");
            assertEquals(net.nicB.counters().get(NicCounters.RX_TLS_RESYNC_REQ_START),
                net.nicB.counters().get(NicCounters.RX_TLS_RESYNC_REQ_END)
                    + net.nicB.counters().get(NicCounters.RX_TLS_RESYNC_REQ_SKIP), "started = ended + skipped");
        }
    }

    private OffloadTransferTest.Session session(final NicHosts net, final long seed) throws IOException
    {
        return new OffloadTransferTest.Session(net, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 8 << 20, seed, dir,
            true, new int[] {16384});
    }

    /** Drops, once, the client's segment that carries the header of record {@code index}. */
    private static void dropSegmentHoldingRecordHeader(final NicHosts net, final OffloadTransferTest.Session s,
        final int index)
    {
        final long header = (s.clientStartSeq() + (long)index * RECORD) & 0xFFFF_FFFFL;
        final boolean[] dropped = new boolean[1];
        final FrameParser parser = new FrameParser();
        net.link.setDropFilter((from, frame, length) ->
        {
            if (dropped[0] || from != net.nicA
                || parser.parseEthernet(BytesStore.wrap(frame), 0, length) != ParseStatus.OK)
            {
                return false;
            }
            final long seq = parser.tcp().sequenceNumber();
            final long into = (header - seq) & 0xFFFF_FFFFL;
            if (into < parser.payloadLength())
            {
                dropped[0] = true;
                return true;
            }
            return false;
        });
    }
}
