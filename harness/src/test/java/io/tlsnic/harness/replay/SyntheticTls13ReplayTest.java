package io.tlsnic.harness.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsnic.harness.cli.CliRun;
import io.tlsnic.harness.cli.TlsnicMain;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.keys.Tls13KeySchedule;
import io.tlsnic.wire.keys.TrafficKeys;
import io.tlsnic.wire.tls.TlsVersion;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A TLS 1.3 connection built here byte by byte (every suite, a padded record, a record split across segments, and a
 * server KeyUpdate) replays with the KeyUpdate answered by the next traffic secret, as a TLS library answers it.
 */
class SyntheticTls13ReplayTest
{
    private static final byte[] CLIENT_RANDOM = filled(32, 0x11);
    private static final byte[] SERVER_RANDOM = filled(32, 0x22);
    private static final int CLIENT_IP = 0x0A000001;
    private static final int SERVER_IP = 0x0A000002;

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256"})
    void shouldFollowAServerKeyUpdateToTheNextGeneration(final CipherSuite suite) throws Exception
    {
        final int hashLength = suite.hash().length();
        final byte[] clientHandshake = filled(hashLength, 0x31);
        final byte[] serverHandshake = filled(hashLength, 0x32);
        final byte[] clientTraffic = filled(hashLength, 0x33);
        final byte[] serverTraffic = filled(hashLength, 0x34);
        final byte[] serverTraffic1 = Tls13KeySchedule.nextTrafficSecret(suite.hash(), serverTraffic);

        final byte[] finished = message(20, filled(hashLength, 0x44));
        final ByteArrayOutputStream server = new ByteArrayOutputStream();
        server.writeBytes(plainRecord(0x0303, message(2, serverHello(suite))));
        server.writeBytes(new byte[] {20, 3, 3, 0, 1, 1});
        server.writeBytes(seal(suite, serverHandshake, 0, 22, concat(message(8, new byte[] {0, 0}), finished), 0));
        server.writeBytes(seal(suite, serverTraffic, 0, 23, ascii("hello from the server"), 0));
        server.writeBytes(seal(suite, serverTraffic, 1, 22, message(24, new byte[] {0}), 0));
        server.writeBytes(seal(suite, serverTraffic1, 0, 23, ascii("after the key update"), 0));
        final ByteArrayOutputStream client = new ByteArrayOutputStream();
        client.writeBytes(plainRecord(0x0301, message(1, clientHello(suite))));
        client.writeBytes(seal(suite, clientHandshake, 0, 22, finished, 0));
        client.writeBytes(seal(suite, clientTraffic, 0, 23, ascii("GET / with padding"), 7));

        final List<Captures.Packet> packets = new ArrayList<>();
        final byte[] c = client.toByteArray();
        final byte[] s = server.toByteArray();
        packets.add(segment(true, 1000, Arrays.copyOfRange(c, 0, 30)));
        packets.add(segment(true, 1030, Arrays.copyOfRange(c, 30, c.length - 20)));
        packets.add(segment(false, 5000, Arrays.copyOfRange(s, 0, s.length / 2)));
        packets.add(segment(false, 5000 + s.length / 2, Arrays.copyOfRange(s, s.length / 2, s.length)));
        packets.add(segment(true, 1000 + c.length - 20, Arrays.copyOfRange(c, c.length - 20, c.length)));
        final Path capture = temp.resolve("synthetic.pcap");
        Captures.writePcap(capture, Captures.LINKTYPE_RAW, packets);
        final Path keyLog = temp.resolve("synthetic.keys");
        Files.writeString(keyLog, line("CLIENT_HANDSHAKE_TRAFFIC_SECRET", clientHandshake)
            + line("SERVER_HANDSHAKE_TRAFFIC_SECRET", serverHandshake) + line("CLIENT_TRAFFIC_SECRET_0", clientTraffic)
            + line("SERVER_TRAFFIC_SECRET_0", serverTraffic));
        final Path out = temp.resolve("out");

        final CliRun run = Captures.tlsnic("replay", capture.toString(), "--keylog", keyLog.toString(),
            "--out", out.toString(), "--plaintext-dir", out.toString());

        assertEquals(TlsnicMain.EXIT_OK, run.exitCode(), run.out() + run.err());
        final JsonNode flow = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("flows").get(0);
        final JsonNode c2s = flow.get("directions").get(0);
        final JsonNode s2c = flow.get("directions").get(1);
        assertEquals(1, s2c.get("keyUpdates").asLong());
        assertEquals(1, s2c.get("controlRecords").get("key_update").asLong());
        assertEquals(3, s2c.get("txRecordsCompared").asLong());
        assertEquals(0, s2c.get("txRecordsMismatched").asLong());
        assertEquals(1, c2s.get("txRecordsCompared").asLong());
        assertEquals(0, c2s.get("txRecordsMismatched").asLong());
        assertEquals("hello from the serverafter the key update",
            Files.readString(out.resolve("10.0.0.2_443_to_10.0.0.1_50000.bin")));
        assertEquals("GET / with padding", Files.readString(out.resolve("10.0.0.1_50000_to_10.0.0.2_443.bin")));
        // Through the device receiver: kTLS has no device rekey, so an offloaded RX direction refuses the new key
        // (EBUSY) and the rest of it is opened in software; ChaCha20 is not offloaded and rekeys in place.
        assertEquals("device", s2c.get("receiver").asText());
        final boolean offloaded = suite.cipher().isAesGcm();
        assertEquals(offloaded ? 1 : 0, s2c.get("receiverCounters").get("rxOffloaded").asLong());
        if (offloaded)
        {
            assertTrue(s2c.get("receiverNote").asText().contains("EBUSY"), s2c.toString());
            assertEquals(1, s2c.get("receiverCounters").get("recordsOpenedFromCapture").asLong());
        }
        else
        {
            assertTrue(s2c.get("receiverNote").isNull(), s2c.toString());
            assertEquals(3, s2c.get("recordsSoftware").asLong());
        }
    }

    private static Captures.Packet segment(final boolean fromClient, final long seq, final byte[] payload)
    {
        return new Captures.Packet(fromClient
            ? Captures.ipv4Tcp(CLIENT_IP, 50000, SERVER_IP, 443, seq, 0x18, payload)
            : Captures.ipv4Tcp(SERVER_IP, 443, CLIENT_IP, 50000, seq, 0x18, payload));
    }

    private static byte[] seal(final CipherSuite suite, final byte[] secret, final long seq, final int type,
        final byte[] content, final int padding)
    {
        final TrafficKeys keys = Tls13KeySchedule.trafficKeys(suite.cipher(), secret);
        final RecordCipher cipher = HandshakeTracker.cipherFor(keys.toCryptoInfo(TlsVersion.TLS_1_3, suite.cipher(), 0));
        final byte[] out = new byte[cipher.sealedLength(content.length, padding)];
        cipher.seal(seq, type, content, 0, content.length, padding, out, 0);
        return out;
    }

    private static byte[] clientHello(final CipherSuite suite)
    {
        return concat(new byte[] {3, 3}, CLIENT_RANDOM, new byte[] {0, 0, 2, (byte)(suite.code() >>> 8),
            (byte)suite.code(), 1, 0, 0, 0});
    }

    private static byte[] serverHello(final CipherSuite suite)
    {
        return concat(new byte[] {3, 3}, SERVER_RANDOM, new byte[] {0, (byte)(suite.code() >>> 8),
            (byte)suite.code(), 0, 0, 6, 0, 43, 0, 2, 3, 4});
    }

    private static byte[] message(final int type, final byte[] body)
    {
        return concat(new byte[] {(byte)type, 0, (byte)(body.length >>> 8), (byte)body.length}, body);
    }

    private static byte[] plainRecord(final int version, final byte[] content)
    {
        return concat(new byte[] {22, (byte)(version >>> 8), (byte)version, (byte)(content.length >>> 8),
            (byte)content.length}, content);
    }

    private static String line(final String label, final byte[] secret)
    {
        return label + " " + HexFormat.of().formatHex(CLIENT_RANDOM) + " " + HexFormat.of().formatHex(secret) + "\n";
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] filled(final int length, final int value)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
