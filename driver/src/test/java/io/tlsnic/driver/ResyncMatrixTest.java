package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.driver.DriverConfig.TxResyncStrategy;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.nic.tls.RxResyncMode;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Every combination of TLS 1.2/1.3 x AES-GCM-128/256 x TX strategy x RX resync mode, at 0.5, 1, 2, 5 and 10 %
 * loss with reordering and duplication: {@code tlsnic.matrix.seeds} seeds (default 10) of 2 MiB each way, every
 * byte exact, and the device's resync counters add up (requests started = ended + skipped + in flight).
 */
class ResyncMatrixTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final int SEEDS = Integer.getInteger("tlsnic.matrix.seeds", 10);
    private static final int BYTES = Integer.getInteger("tlsnic.matrix.bytes", 2 << 20);

    @TempDir
    Path dir;

    static Stream<Arguments> matrix()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final TlsVersion v : TlsVersion.values())
        {
            for (final TlsCipher c : new TlsCipher[] {TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256})
            {
                for (final TxResyncStrategy tx : TxResyncStrategy.values())
                {
                    for (final RxResyncMode rx : RxResyncMode.values())
                    {
                        for (final double loss : new double[] {0.5, 1, 2, 5, 10})
                        {
                            all.add(Arguments.of(v, c, tx, rx, loss));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} loss {4}%")
    @MethodSource("matrix")
    void shouldKeepEveryByteExact(final TlsVersion v, final TlsCipher c, final TxResyncStrategy tx,
        final RxResyncMode rx, final double loss) throws IOException
    {
        for (int seed = 0; seed < SEEDS; seed++)
        {
            final long s = seed * 7919L + (long)(loss * 10);
            final LinkFaults faults = new LinkFaults(loss, 0.5, 1, 200_000, s);
            try (NicHosts net = new NicHosts(NicConfig.defaults().withRxResyncMode(rx), faults, s, false,
                DriverConfig.defaults().withTxResync(tx)))
            {
                new OffloadTransferTest.Session(net, v, c, BYTES, s, dir, true).transfer(36_000 * SECOND);
                for (final Nic nic : new Nic[] {net.nicA, net.nicB})
                {
                    final long inFlight = nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_START)
                        - nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_END)
                        - nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_SKIP);
                    assertTrue(inFlight == 0 || inFlight == 1, "requests in flight at the end: " + inFlight);
                }
            }
        }
    }
}
