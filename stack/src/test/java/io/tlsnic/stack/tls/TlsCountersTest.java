package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The tls_stat descriptors: Linux names in Linux order, dense stable ids, and the gauges of a socket's life. */
class TlsCountersTest
{
    @Test
    void shouldNameCountersAsProcNetTlsStatInItsOrder()
    {
        final List<String> linux = List.of("TlsCurrTxSw", "TlsCurrRxSw", "TlsCurrTxDevice", "TlsCurrRxDevice",
            "TlsTxSw", "TlsRxSw", "TlsTxDevice", "TlsRxDevice", "TlsDecryptError", "TlsRxDeviceResync",
            "TlsDecryptRetry", "TlsRxNoPadViolation", "TlsTxRekeyOk", "TlsRxRekeyOk", "TlsTxRekeyError",
            "TlsRxRekeyError", "TlsRxRekeyReceived");
        assertEquals(linux, Stream.of(TlsStat.values()).limit(linux.size()).map(TlsStat::label)
            .collect(Collectors.toList()));
        for (final TlsStat stat : TlsStat.values())
        {
            assertEquals(stat.ordinal(), stat.id());
            assertSame(stat, TlsStat.get(stat.id()));
        }
        assertThrows(IllegalArgumentException.class, () -> TlsStat.get(TlsStat.values().length));
    }

    @Test
    void shouldCountSoftwareInstallsAndDropGaugesOnClose()
    {
        final KtlsFixture f = KtlsFixture.connected(Suite.TLS13_AES_GCM_128, 81, 1 << 16, PipeTransport.Chunker.whole());
        assertEquals(2, f.counters.get(TlsStat.TLS_CURR_TX_SW));
        assertEquals(2, f.counters.get(TlsStat.TLS_RX_SW));
        f.a.close();
        assertEquals(1, f.counters.get(TlsStat.TLS_CURR_TX_SW));
        assertEquals(1, f.counters.get(TlsStat.TLS_CURR_RX_SW));
        assertEquals(2, f.counters.get(TlsStat.TLS_TX_SW), "totals never go down");
        assertTrue(f.counters.toString().contains("TlsCurrRxSw"));
    }
}
