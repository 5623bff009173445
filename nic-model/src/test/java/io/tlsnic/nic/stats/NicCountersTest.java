package io.tlsnic.nic.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class NicCountersTest
{
    /** The device counter names of OFFLOAD-CONTRACT section 6 (tls-offload.rst minimum + mlx5). */
    private static final String[] CONTRACT_NAMES = {
        "rx_tls_decrypted_packets", "rx_tls_decrypted_bytes", "rx_tls_ctx", "rx_tls_del", "rx_tls_resync_req_pkt",
        "rx_tls_resync_req_start", "rx_tls_resync_req_end", "rx_tls_resync_req_skip", "rx_tls_resync_res_ok",
        "rx_tls_resync_res_retry", "rx_tls_resync_res_skip", "rx_tls_err", "tx_tls_encrypted_packets",
        "tx_tls_encrypted_bytes", "tx_tls_ctx", "tx_tls_del", "tx_tls_ooo", "tx_tls_dump_packets",
        "tx_tls_dump_bytes", "tx_tls_resync_bytes", "tx_tls_skip_no_sync_data", "tx_tls_drop_no_sync_data",
        "tx_tls_drop_bypass_req",
    };

    @Test
    void shouldHaveDenseUniqueIdsAndLabels()
    {
        final Set<String> labels = new HashSet<>();
        for (final NicCounters c : NicCounters.values())
        {
            assertEquals(c.ordinal(), c.id(), c.label());
            assertTrue(labels.add(c.label()), "duplicate label " + c.label());
            assertNotNull(c.writer());
            assertEquals(c, NicCounters.get(c.id()));
        }
        assertNull(NicCounters.get(NicCounters.count()));
        assertNull(NicCounters.get(-1));
    }

    @Test
    void shouldCarryEveryDeviceNameOfTheContract()
    {
        final Set<String> labels = new HashSet<>();
        for (final NicCounters c : NicCounters.values())
        {
            labels.add(c.label());
        }
        for (final String name : CONTRACT_NAMES)
        {
            assertTrue(labels.contains(name), name);
        }
    }

    @Test
    void shouldAddAndReportValues()
    {
        final NicCounterSet set = new NicCounterSet();
        set.increment(NicCounters.RX_PACKETS);
        set.add(NicCounters.RX_TLS_DECRYPTED_BYTES, 1400);
        assertEquals(1, set.get(NicCounters.RX_PACKETS));
        assertEquals(1400L, set.snapshot().get("rx_tls_decrypted_bytes"));
        assertEquals("NicCounterSet{rx_tls_decrypted_bytes=1400, rx_packets=1}", set.toString());
    }
}
