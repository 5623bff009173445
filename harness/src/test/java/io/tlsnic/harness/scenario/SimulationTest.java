package io.tlsnic.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tlsnic.wire.keys.KeyLogWriter;

/** Scenarios end to end: real handshakes, the hand-over to offload, workloads, KeyUpdate, determinism, Ctrl-C. */
class SimulationTest
{
    private static Scenario scenario(final String json)
    {
        return ScenarioParser.parse("test", json);
    }

    private static void assertEveryByteExact(final Scenario s, final SimulationReport r) throws Exception
    {
        assertTrue(r.complete(), r.verdict());
        for (final SimulationReport.Flow f : r.flows())
        {
            assertNull(f.failure(), "flow " + f.flow());
            for (int d = 0; d < 2; d++)
            {
                final SimulationReport.Direction x = f.directions().get(d);
                assertEquals(x.plaintextExpectedBytes(), x.plaintextBytes(), "flow " + f.flow() + " dir " + d);
                assertEquals(Expected.sha256(x.plaintextExpectedBytes(), Expected.dataSeed(s, f.flow(), d)),
                    x.plaintextSha256(), "flow " + f.flow() + " dir " + d);
            }
        }
    }

    @Test
    void shouldHandEveryAesGcmHandshakeOverToDeviceOffloadAndRunChaChaInSoftware() throws Exception
    {
        final Scenario s = scenario("""
            {"seed": 11, "link": {"lossPercent": 0, "reorderPercent": 0},
             "flows": [ {"version": "1.2", "cipher": "aes-128-gcm", "bytes": "200KiB", "offload": "required"},
                        {"version": "1.2", "cipher": "aes-256-gcm", "bytes": "200KiB", "offload": "required"},
                        {"version": "1.2", "cipher": "chacha20", "bytes": "200KiB"},
                        {"version": "1.3", "cipher": "aes-128-gcm", "bytes": "200KiB", "offload": "required"},
                        {"version": "1.3", "cipher": "aes-256-gcm", "bytes": "200KiB", "offload": "required"},
                        {"version": "1.3", "cipher": "chacha20", "bytes": "200KiB"} ]}""");
        final SimulationReport r = new Simulation(s).run();
        assertEveryByteExact(s, r);
        for (final SimulationReport.Flow f : r.flows())
        {
            final boolean aes = f.cipher().contains("AES");
            for (final SimulationReport.Direction d : f.directions())
            {
                assertEquals(aes ? "device" : "software", d.txOffload(), f.cipher());
                assertEquals(aes ? "device" : "software", d.rxOffload(), f.cipher());
                // A clean wire: the device decrypts every record of an offloaded direction.
                assertEquals(aes ? d.records() : 0, d.recordsDevice(), f.cipher());
                assertEquals(aes ? 0 : d.records(), d.recordsSoftware(), f.cipher());
            }
        }
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", r.flows().get(1).cipher());
        assertEquals("TLS_CHACHA20_POLY1305_SHA256", r.flows().get(5).cipher());
    }

    @Test
    void shouldOffloadChaCha20WhenTheDeviceIsConfiguredForIt() throws Exception
    {
        final Scenario s = scenario("""
            {"seed": 8, "link": {"lossPercent": 2},
             "device": {"offload": ["1.2/chacha20", "1.3/chacha20"]},
             "flows": [ {"version": "1.2", "cipher": "chacha20", "bytes": "400KiB", "offload": "required"},
                        {"version": "1.3", "cipher": "chacha20", "bytes": "400KiB", "offload": "required"},
                        {"version": "1.3", "cipher": "aes-128-gcm", "bytes": "100KiB"} ]}""");
        final SimulationReport r = new Simulation(s).run();
        assertEveryByteExact(s, r);
        long device = 0;
        long mixed = 0;
        for (int f = 0; f < 2; f++)
        {
            for (final SimulationReport.Direction d : r.flows().get(f).directions())
            {
                assertEquals("device", d.txOffload());
                assertEquals("device", d.rxOffload());
                device += d.recordsDevice();
                mixed += d.recordsMixed();
            }
        }
        assertTrue(device > 0, "the device decrypted ChaCha20 records");
        assertTrue(mixed > 0, "loss made mixed records, which the host re-keystreamed and decrypted");
        // This device offloads only ChaCha20: the AES-GCM flow runs in software kTLS.
        assertEquals("software", r.flows().get(2).directions().get(0).rxOffload());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void shouldKeepTheDataExactAcrossAKeyUpdateMidTransferOnOffloadedFlows(final long seed) throws Exception
    {
        final Scenario s = scenario("{\"seed\": " + seed + ", \"link\": {\"lossPercent\": 2},"
            + " \"flows\": [ {\"count\": 2, \"cipher\": \"aes-128-gcm\", \"bytes\": \"600KiB\", \"keyUpdate\": true,"
            + " \"offload\": \"required\"}, {\"cipher\": \"aes-256-gcm\", \"workload\": \"small-writes\","
            + " \"bytes\": \"64KiB\", \"keyUpdate\": true} ]}");
        final SimulationReport r = new Simulation(s).run();
        assertEveryByteExact(s, r);
        for (final SimulationReport.Flow f : r.flows())
        {
            for (final SimulationReport.Direction d : f.directions())
            {
                assertEquals(1, d.keyUpdates(), "each side updated its sending key once: " + f.flow());
                assertEquals("device", d.txOffload(), "TX offload continues with the new key");
            }
        }
    }

    /**
     * The KeyUpdate record itself lost and retransmitted by RTO: the new TX key must wait until it is acknowledged
     * (seeds that once deleted the old context while it was still unacknowledged, so its retransmission failed).
     */
    @ParameterizedTest
    @ValueSource(longs = {7, 17})
    void shouldKeepTheOldTxKeyUntilALostKeyUpdateRecordIsAcknowledged(final long seed) throws Exception
    {
        final Scenario s = scenario("""
            {"seed": %d, "link": {"lossPercent": 4, "reorderPercent": 1, "duplicatePercent": 0.5},
             "device": {"offload": ["1.2/aes-128-gcm", "1.3/aes-128-gcm", "1.3/aes-256-gcm", "1.3/chacha20"]},
             "flows": [ {"count": 2, "cipher": "aes-128-gcm", "bytes": "1MiB", "keyUpdate": true},
                        {"cipher": "chacha20", "bytes": "1MiB", "keyUpdate": true},
                        {"cipher": "aes-256-gcm", "workload": "small-writes", "bytes": "128KiB", "keyUpdate": true},
                        {"cipher": "aes-256-gcm", "workload": "request-response", "bytes": "512KiB",
                         "keyUpdate": true} ]}""".formatted(seed));
        assertEveryByteExact(s, new Simulation(s).run());
    }

    @Test
    void shouldRefuseAKeyUpdateOnAnOffloadedFlowWhenDeviceRekeyIsOffAsLinuxDoes()
    {
        final Scenario s = scenario("{\"device\": {\"deviceRekey\": false}, \"link\": {\"lossPercent\": 0},"
            + " \"flows\": [ {\"bytes\": \"100KiB\", \"keyUpdate\": true} ]}");
        final SimulationReport r = new Simulation(s).run();
        assertFalse(r.complete());
        assertTrue(r.verdict().startsWith("FAILED: 1 of 1 flows failed"), r.verdict());
        assertTrue(r.flows().get(0).failure().contains("EBUSY"), r.flows().get(0).failure());
    }

    @Test
    void shouldRunEveryWorkloadWithLossAndReordering() throws Exception
    {
        final Scenario s = scenario("""
            {"seed": 5, "link": {"lossPercent": 3, "reorderPercent": 1, "duplicatePercent": 0.5},
             "flows": [ {"workload": "bulk", "bytes": "300KiB"},
                        {"workload": "request-response", "bytes": "160KiB", "requestBytes": 300,
                         "responseBytes": 5000},
                        {"workload": "small-writes", "bytes": "40KiB", "version": "1.2"},
                        {"workload": "sendfile", "bytes": "300KiB", "cipher": "aes-256-gcm"} ]}""");
        final SimulationReport r = new Simulation(s).run();
        assertEveryByteExact(s, r);
        long mixedOrSoftware = 0;
        for (final SimulationReport.Flow f : r.flows())
        {
            for (final SimulationReport.Direction d : f.directions())
            {
                mixedOrSoftware += d.recordsMixed() + d.recordsSoftware();
            }
        }
        assertTrue(mixedOrSoftware > 0, "loss sends some records past the device");
        assertTrue(r.wire().get("framesDropped") > 0);
        // 33 requests of 300 bytes for 160 KiB of 5000-byte responses.
        assertEquals(33 * 300, r.flows().get(1).directions().get(0).plaintextBytes());
    }

    @Test
    void shouldWriteByteIdenticalOutputsForTheSameScenarioAndSeed(@TempDir final Path dir) throws Exception
    {
        final Scenario s = scenario("{\"seed\": 9, \"link\": {\"lossPercent\": 2}, \"flows\": ["
            + " {\"version\": \"1.2\", \"bytes\": \"150KiB\"}, {\"version\": \"1.3\", \"bytes\": \"150KiB\"} ]}");
        final byte[][] first = runRecorded(s, dir.resolve("1"));
        final byte[][] second = runRecorded(s, dir.resolve("2"));
        for (int i = 0; i < first.length; i++)
        {
            assertArrayEquals(first[i], second[i], "output " + i);
        }
        assertTrue(first[1].length > 0 && first[2].length > 0);
    }

    private static byte[][] runRecorded(final Scenario s, final Path dir) throws Exception
    {
        Files.createDirectories(dir);
        final StringWriter keys = new StringWriter();
        final SimulationReport r;
        try (PcapWriter pcap = new PcapWriter(dir.resolve("w.pcap"));
            KeyLogWriter keyLog = new KeyLogWriter(keys);
            BufferedWriter events = Files.newBufferedWriter(dir.resolve("e.jsonl")))
        {
            r = new Simulation(s).recordPcap(pcap).recordKeyLog(keyLog).recordEvents(events).run();
        }
        assertTrue(r.complete(), r.verdict());
        return new byte[][] {new ObjectMapper().writeValueAsBytes(r), Files.readAllBytes(dir.resolve("w.pcap")),
            Files.readAllBytes(dir.resolve("e.jsonl")), keys.toString().getBytes()};
    }

    @Test
    void shouldStopWhenAskedAndReportWhatWasDone()
    {
        final Scenario s = scenario("{\"link\": {\"lossPercent\": 0}, \"flows\": [{\"bytes\": \"64MiB\"}]}");
        final Simulation sim = new Simulation(s);
        sim.onProgress(bytes ->
        {
            if (bytes > 1 << 20)
            {
                sim.stop();
            }
        });
        final SimulationReport r = sim.run();
        assertTrue(r.interrupted());
        assertFalse(r.complete());
        assertTrue(r.verdict().startsWith("interrupted: 0 of 1 flows done; every byte received so far matched"),
            r.verdict());
        final long received = r.flows().get(0).directions().get(0).plaintextBytes();
        assertTrue(received > 0 && received < 64L << 20, "some, not all: " + received);
    }

    @Test
    void shouldListTheDefaultScenarioAsEightMixedFlowsOf64MiB()
    {
        final Scenario s = Presets.defaultScenario();
        assertEquals(8, s.flowCount());
        assertEquals(64L << 20, s.totalBytes());
        assertEquals(1.0, s.link().faults().lossPercent());
        assertEquals(List.of("clean", "default", "handshakes", "keyupdate", "lossy"),
            List.copyOf(Presets.all().keySet()));
    }
}
