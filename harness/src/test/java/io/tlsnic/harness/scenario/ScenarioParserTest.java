package io.tlsnic.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.nic.tls.RxResyncMode;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** Scenario files: every key read, every mistake one line naming the file, the line and the key. */
class ScenarioParserTest
{
    private static String rejected(final String json)
    {
        final ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("s.json", json));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void shouldReadEverySectionOfAFullScenario()
    {
        final Scenario s = ScenarioParser.parse("s.json", """
            {
              "name": "mine", "seed": 7, "timeLimitSeconds": 60,
              "link": { "lossPercent": 2.5, "burstLength": 2, "duplicatePercent": 0.1, "reorderPercent": 1,
                        "reorderDelayUs": 300, "jitterUs": 5, "corruptPercent": 0.01, "stealthCorruptPercent": 0,
                        "latencyUs": 50, "gbps": 25 },
              "device": { "queues": 4, "contexts": 1000, "contextCache": 64, "controlLatencyNs": 500, "batch": 16,
                          "offload": ["1.3/aes-128-gcm"], "rxResync": "core-next-hint", "txResync": "next-record-sync",
                          "txRing": 256, "rxRing": 1024, "tsoBytes": 0, "deviceRekey": false,
                          "coalesceUs": 20, "coalesceFrames": 32 },
              "flows": [ { "count": 3, "version": "TLS1.2", "cipher": "AES_GCM_256", "workload": "sendfile",
                           "bytes": "2 MiB", "offload": "off" },
                         { "version": "1.3", "cipher": "chacha20", "workload": "request-response", "bytes": 65536,
                           "requestBytes": 100, "responseBytes": 1000, "keyUpdate": true } ]
            }""");
        assertEquals("mine", s.name());
        assertEquals(7, s.seed());
        assertEquals(60_000_000_000L, s.timeLimitNs());
        assertEquals(2.5, s.link().faults().lossPercent());
        assertEquals(2, s.link().faults().burstLength());
        assertEquals(300_000, s.link().faults().reorderDelayNs());
        assertEquals(7, s.link().faults().seed());
        assertEquals(50_000, s.link().latencyNs());
        assertEquals(25, s.link().gigabitsPerSecond());
        assertEquals(4, s.device().nic().queues());
        assertEquals(1000, s.device().nic().contextCapacity());
        assertTrue(s.device().nic().capabilities().supports(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128));
        assertFalse(s.device().nic().capabilities().supports(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128));
        assertEquals(RxResyncMode.CORE_NEXT_HINT, s.device().nic().rxResyncMode());
        assertEquals(DriverConfig.TxResyncStrategy.NEXT_RECORD_SYNC, s.device().driver().txResync());
        assertEquals(256, s.device().driver().txRingSize());
        assertEquals(2048, s.device().driver().completionRingSize());
        assertFalse(s.device().deviceRekey());
        assertEquals(DriverConfig.Napi.interrupts(20_000, 32), s.device().driver().napi());
        assertEquals(4, s.flowCount());
        final FlowSpec first = s.flows().get(0);
        assertEquals(TlsVersion.TLS_1_2, first.version());
        assertEquals(Workload.SENDFILE, first.workload());
        assertEquals(2L << 20, first.bytes());
        assertEquals(FlowSpec.Offload.OFF, first.offload());
        final FlowSpec second = s.flows().get(1);
        assertEquals(TlsCipher.CHACHA20_POLY1305, second.cipher());
        assertEquals(100, second.requestBytes());
        assertTrue(second.keyUpdate());
    }

    @Test
    void shouldTakeTheDefaultsForSectionsLeftOut()
    {
        final Scenario s = ScenarioParser.parse("s.json", "{\"seed\": 3}");
        assertEquals(Presets.defaultScenario().flows(), s.flows());
        assertEquals(3, s.link().faults().seed());
    }

    @Test
    void shouldRejectAnUnknownKeyNamingItsLine()
    {
        final String m = rejected("{\n  \"link\": {\n    \"loss\": 1\n  }\n}");
        assertEquals("s.json line 3: link.loss: unknown key \"loss\" in link (known: burstLength, corruptPercent, "
            + "duplicatePercent, gbps, jitterUs, latencyUs, lossPercent, reorderDelayUs, reorderPercent, "
            + "stealthCorruptPercent)", m);
    }

    @Test
    void shouldRejectAnUnknownKeyInTheSecondFlow()
    {
        final String m = rejected("{\"flows\": [\n {\"count\": 1},\n {\"cout\": 2}\n]}");
        assertTrue(m.startsWith("s.json line 3: flows[1].cout: unknown key \"cout\""), m);
    }

    @Test
    void shouldRejectANegativeRate()
    {
        final String m = rejected("{\"link\": {\"lossPercent\": -1}}");
        assertEquals("s.json line 1: link.lossPercent: must not be negative: must be 0..100, got -1", m);
    }

    @Test
    void shouldRejectAnOutOfRangeRate()
    {
        assertTrue(rejected("{\"link\": {\"reorderPercent\": 101}}").contains("link.reorderPercent: is out of range"));
    }

    @Test
    void shouldLetTheDeviceBeConfiguredToOffloadChaCha20()
    {
        final Scenario s = ScenarioParser.parse("s.json", "{\"device\": {\"offload\": [\"1.3/chacha20\"]},"
            + " \"flows\": [{\"cipher\": \"chacha20\", \"offload\": \"required\"}]}");
        assertTrue(s.device().nic().capabilities().supports(TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305));
        assertFalse(s.device().nic().capabilities().supports(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128));
    }

    @Test
    void shouldRejectAnOffloadEntryThatIsNotVersionSlashCipher()
    {
        final String m = rejected("{\"device\": {\"offload\": [\"1.3/aes-128-gcm\", \"chacha20\"]}}");
        assertTrue(m.startsWith("s.json line 1: device.offload[1]: must be \"VERSION/CIPHER\""), m);
    }

    @Test
    void shouldRejectAFlowThatRequiresOffloadTheDeviceLacks()
    {
        final String m = rejected("{\"flows\": [{\"cipher\": \"chacha20-poly1305\", \"offload\": \"required\"}]}");
        assertTrue(m.contains("flows[0].offload: \"required\", but the device does not offload TLS 1.3"), m);
        assertTrue(m.contains("unsupported cipher for the device"), m);
    }

    @Test
    void shouldRejectAKeyUpdateOnTls12()
    {
        assertTrue(rejected("{\"flows\": [{\"version\": \"1.2\", \"keyUpdate\": true}]}")
            .contains("KeyUpdate exists only in TLS 1.3"));
    }

    @Test
    void shouldRejectUnknownNamesAndBadSizes()
    {
        assertTrue(rejected("{\"flows\": [{\"cipher\": \"aes-192-gcm\"}]}").contains("unknown cipher \"aes-192-gcm\""));
        assertTrue(rejected("{\"flows\": [{\"version\": \"1.1\"}]}").contains("unknown TLS version \"1.1\""));
        assertTrue(rejected("{\"flows\": [{\"workload\": \"stream\"}]}").contains("unknown workload \"stream\""));
        assertTrue(rejected("{\"flows\": [{\"bytes\": \"4 MB\"}]}").contains("flows[0].bytes: must be a size"));
        assertTrue(rejected("{\"flows\": [{\"bytes\": -5}]}").contains("flows[0].bytes: must be a size"));
        assertTrue(rejected("{\"device\": {\"txRing\": 100}}").contains("device.txRing: must be a power of two"));
        assertTrue(rejected("{\"device\": {\"rxResync\": \"magic\"}}")
            .contains("unknown value \"magic\" (known: async, core-next-hint, device-request)"));
        assertTrue(rejected("{\"seed\": \"one\"}").contains("seed: must be a whole number, got \"one\""));
        assertTrue(rejected("{\"flows\": []}").contains("flows: must be a non-empty array"));
    }

    @Test
    void shouldBusyPollUnlessCoalescingIsGivenAndDefaultTheOtherHalf()
    {
        assertEquals(DriverConfig.Napi.busyPoll(), ScenarioParser.parse("s.json", "{}").device().driver().napi());
        assertEquals(DriverConfig.Napi.interrupts(8_000, 16),
            ScenarioParser.parse("s.json", "{\"device\": {\"coalesceFrames\": 16}}").device().driver().napi());
        assertEquals(DriverConfig.Napi.interrupts(50_000, 64),
            ScenarioParser.parse("s.json", "{\"device\": {\"coalesceUs\": 50}}").device().driver().napi());
        assertTrue(rejected("{\"device\": {\"coalesceUs\": -1}}").contains("device.coalesceUs"));
    }

    @Test
    void shouldRejectMalformedJsonWithItsLine()
    {
        final String m = rejected("{\n  \"seed\": 1,\n  \"name\" \"x\"\n}");
        assertTrue(m.startsWith("s.json line 3: not valid JSON: "), m);
        assertTrue(rejected("[1, 2]").startsWith("s.json line 1: a scenario is a JSON object"));
    }

    @Test
    void shouldNameAMissingFile()
    {
        final ScenarioException e = assertThrows(ScenarioException.class,
            () -> ScenarioParser.parse(java.nio.file.Path.of("/nonexistent/s.json")));
        assertEquals("/nonexistent/s.json: no such scenario file", e.getMessage());
    }
}
