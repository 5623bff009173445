package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.nic.tls.RxResyncMode;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Losing record headers on RX: the device loses sync and regains it by its resync mode, with the host's help; the
 * three record classes occur, the data stays exact, and the device's resync counters add up.
 */
class RxResyncTest
{
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    static Stream<Arguments> modes()
    {
        return Stream.of(RxResyncMode.values()).flatMap(m -> Stream.of(TlsVersion.values()).map(v -> Arguments.of(m, v)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modes")
    void shouldRegainSyncUnderLossAndKeepEveryByte(final RxResyncMode mode, final TlsVersion v) throws IOException
    {
        long resyncs = 0;
        long device = 0;
        long software = 0;
        long mixed = 0;
        for (int seed = 0; seed < 3; seed++)
        {
            final NicConfig config = NicConfig.defaults().withRxResyncMode(mode);
            try (NicHosts net = new NicHosts(config, new LinkFaults(2, 0.5, 1, 300_000, seed), seed, false))
            {
                final OffloadTransferTest.Session s = new OffloadTransferTest.Session(net, v, TlsCipher.AES_GCM_128,
                    2 << 20, 40 + seed, dir, true);
                s.transfer(3600 * SECOND);
                for (final Nic nic : new Nic[] {net.nicA, net.nicB})
                {
                    final long start = nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_START);
                    final long end = nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_END);
                    final long skip = nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_SKIP);
                    assertTrue(start - end - skip >= 0 && start - end - skip <= 1,
                        "requests started " + start + " = ended " + end + " + skipped " + skip + " + in flight (<= 1)");
                    if (mode == RxResyncMode.CORE_NEXT_HINT)
                    {
                        assertEquals(0, start, "a core-next-hint device never scans");
                    }
                }
                resyncs += s.countersA.get(TlsStat.TLS_RX_DEVICE_RESYNC) + s.countersB.get(TlsStat.TLS_RX_DEVICE_RESYNC);
                device += s.countersA.get(TlsStat.TLS_RX_RECORD_DEVICE) + s.countersB.get(TlsStat.TLS_RX_RECORD_DEVICE);
                software += s.countersA.get(TlsStat.TLS_RX_RECORD_SW) + s.countersB.get(TlsStat.TLS_RX_RECORD_SW);
                mixed += s.countersA.get(TlsStat.TLS_RX_RECORD_MIXED) + s.countersB.get(TlsStat.TLS_RX_RECORD_MIXED);
            }
        }
        System.out.printf("%s %s: host resyncs %d, records device %d / mixed %d / software %d%n", mode, v, resyncs,
            device, mixed, software);
        assertTrue(resyncs > 0, "the host resynced the device");
        assertTrue(device > 0 && software > 0 && mixed > 0,
            "record classes: device " + device + ", software " + software + ", mixed " + mixed);
    }
}
