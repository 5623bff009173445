package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.driver.DriverConfig.TxResyncStrategy;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Retransmitted and out-of-order TLS segments on the TX path: the driver rebuilds the device's context (DUMP of
 * the record prefix) or falls back to software encryption, by strategy, and the data arrives exact.
 */
class TxResyncTest
{
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    static Stream<Arguments> matrix()
    {
        return Stream.of(TxResyncStrategy.values()).flatMap(s -> Stream.of(TlsVersion.values()).flatMap(v ->
            Stream.of(TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256).map(c -> Arguments.of(s, v, c))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void shouldDeliverExactDataUnderLossWithEitherTxStrategy(final TxResyncStrategy strategy, final TlsVersion v,
        final TlsCipher c) throws IOException
    {
        for (int seed = 0; seed < 3; seed++)
        {
            final LinkFaults faults = new LinkFaults(2, 0.5, 1, 300_000, seed);
            try (NicHosts net = new NicHosts(NicConfig.defaults(), faults, seed, false,
                DriverConfig.defaults().withTxResync(strategy)))
            {
                final OffloadTransferTest.Session s = new OffloadTransferTest.Session(net, v, c, 2 << 20, seed, dir,
                    true);
                s.transfer(3600 * SECOND);
                assertTrue(s.client.txOffloaded());
                final long outOfSeq = net.driverA.counter(DriverCounter.TX_TLS_OUT_OF_SEQ)
                    + net.driverB.counter(DriverCounter.TX_TLS_OUT_OF_SEQ);
                assertTrue(outOfSeq > 0, "retransmissions reached the driver");
                if (strategy == TxResyncStrategy.REBUILD)
                {
                    assertTrue(net.nicA.counters().get(NicCounters.TX_TLS_DUMP_PACKETS)
                        + net.nicB.counters().get(NicCounters.TX_TLS_DUMP_PACKETS) > 0, "records were rebuilt");
                    assertEquals(0, net.driverA.counter(DriverCounter.TX_TLS_FALLBACK_PACKETS));
                }
                else
                {
                    assertTrue(net.driverA.counter(DriverCounter.TX_TLS_FALLBACK_PACKETS)
                        + net.driverB.counter(DriverCounter.TX_TLS_FALLBACK_PACKETS) > 0, "software fallback ran");
                    assertEquals(0, net.nicA.counters().get(NicCounters.TX_TLS_DUMP_PACKETS));
                }
                assertEquals(0, net.nicA.counters().get(NicCounters.TX_TLS_DROP_ERROR)
                    + net.nicB.counters().get(NicCounters.TX_TLS_DROP_ERROR));
            }
        }
    }

    @Test
    void shouldMoveAConnectionToSoftwareForGoodWhenItsRetransmittedSharePassesTheThreshold() throws IOException
    {
        final LinkFaults faults = new LinkFaults(5, 0, 0, 0, 77);
        try (NicHosts net = new NicHosts(NicConfig.defaults(), faults, 77, false,
            DriverConfig.defaults().withSoftwarePolicy(0.02)))
        {
            final OffloadTransferTest.Session s = new OffloadTransferTest.Session(net, TlsVersion.TLS_1_2,
                TlsCipher.AES_GCM_128, 2 << 20, 8, dir, true);
            s.transfer(3600 * SECOND);
            assertTrue(net.driverA.counter(DriverCounter.TX_TLS_SW_POLICY) >= 1, "policy moved TX to software");
            assertTrue(net.driverA.counter(DriverCounter.TX_TLS_FALLBACK_PACKETS) > 0);
        }
    }
}
