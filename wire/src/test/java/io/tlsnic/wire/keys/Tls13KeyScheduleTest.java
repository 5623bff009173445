package io.tlsnic.wire.keys;

import static io.tlsnic.wire.testing.Vectors.aesGcmOpen;
import static io.tlsnic.wire.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tlsnic.wire.testing.Rfc8448Trace;
import io.tlsnic.wire.testing.Vectors;
import io.tlsnic.wire.testing.Rfc8448Trace.Step;
import io.tlsnic.wire.tls.TlsCipher;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Tls13KeyScheduleTest
{
    private static final int SIMPLE_1RTT = 3;
    private static final HashAlgorithm SHA_256 = HashAlgorithm.SHA_256;
    private static final Pattern QUOTED_LABEL = Pattern.compile("\"tls13 ([^\"]+)\"");

    private static List<Step> trace;

    @BeforeAll
    static void readRfc8448() throws IOException
    {
        trace = Rfc8448Trace.parse(Vectors.file("rfc8448/rfc8448.txt"));
    }

    @Test
    void shouldDeriveThePrintedKeyAndIvOfSimple1RttForBothDirectionsAndEpochs()
    {
        final String[][] cases = {
            {"server", "derive write traffic keys for handshake data"},
            {"server", "derive read traffic keys for handshake data"},
            {"server", "derive write traffic keys for application data"},
            {"client", "derive write traffic keys for application data"},
        };
        for (final String[] c : cases)
        {
            final Step step = Rfc8448Trace.find(trace, SIMPLE_1RTT, c[0], c[1]);
            assertPrintedKeys(step, step.value("PRK"));
        }
    }

    @Test
    void shouldDeriveTheWholeSimple1RttChainFromTheEcdheSharedSecret()
    {
        final Step early = Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "extract secret \"early\"");
        final byte[] earlySecret = Tls13KeySchedule.earlySecret(SHA_256, null);
        assertArrayEquals(early.value("secret"), earlySecret);

        final Step handshake = Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "extract secret \"handshake\"");
        final byte[] handshakeSecret = Tls13KeySchedule.handshakeSecret(SHA_256, earlySecret, handshake.value("IKM"));
        assertArrayEquals(handshake.value("secret"), handshakeSecret);

        final byte[] helloHash =
            Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "derive secret \"tls13 c hs traffic\"").value("hash");
        assertPrintedKeys(
            Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "derive read traffic keys for handshake data"),
            Tls13KeySchedule.deriveSecret(
                SHA_256, handshakeSecret, Tls13KeySchedule.CLIENT_HANDSHAKE_TRAFFIC, helloHash));
        assertPrintedKeys(
            Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "derive write traffic keys for handshake data"),
            Tls13KeySchedule.deriveSecret(
                SHA_256, handshakeSecret, Tls13KeySchedule.SERVER_HANDSHAKE_TRAFFIC, helloHash));

        final Step master = Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "extract secret \"master\"");
        final byte[] masterSecret = Tls13KeySchedule.masterSecret(SHA_256, handshakeSecret);
        assertArrayEquals(master.value("secret"), masterSecret);

        final byte[] finishedHash =
            Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "derive secret \"tls13 c ap traffic\"").value("hash");
        assertPrintedKeys(
            Rfc8448Trace.find(trace, SIMPLE_1RTT, "client", "derive write traffic keys for application data"),
            Tls13KeySchedule.deriveSecret(
                SHA_256, masterSecret, Tls13KeySchedule.CLIENT_APPLICATION_TRAFFIC, finishedHash));
        assertPrintedKeys(
            Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "derive write traffic keys for application data"),
            Tls13KeySchedule.deriveSecret(
                SHA_256, masterSecret, Tls13KeySchedule.SERVER_APPLICATION_TRAFFIC, finishedHash));
    }

    @Test
    void shouldReproduceEveryPrintedDeriveSecretExtractAndKeyStepOfEveryTrace()
    {
        int derived = 0;
        int extracted = 0;
        int keys = 0;
        for (final Step step : trace)
        {
            if (step.title.startsWith("derive secret") && step.has("expanded"))
            {
                final Matcher label = QUOTED_LABEL.matcher(step.title);
                assertTrue(label.find(), step.toString());
                assertArrayEquals(step.value("expanded"),
                    Tls13KeySchedule.deriveSecret(SHA_256, step.value("PRK"), label.group(1), step.value("hash")),
                    step.toString());
                derived++;
            }
            else if (step.title.startsWith("extract secret") && step.has("secret"))
            {
                final byte[] salt = step.has("salt") ? step.value("salt") : null;
                assertArrayEquals(
                    step.value("secret"), Hkdf.extract(SHA_256, salt, step.value("IKM")), step.toString());
                extracted++;
            }
            else if (step.title.contains("traffic keys") && step.has("key expanded"))
            {
                assertPrintedKeys(step, step.value("PRK"));
                keys++;
            }
        }
        // Five traces; the counts are those of the RFC's text (grep), so a parser that loses a step fails here.
        assertEquals(47, derived, "derive secret steps checked");
        assertEquals(15, extracted, "extract steps checked");
        assertEquals(21, keys, "traffic key steps checked");
    }

    @Test
    void shouldDeriveTheResumedTraceEarlySecretFromThePsk()
    {
        final Step early = Rfc8448Trace.find(trace, 4, "client", "extract secret \"early\"");
        assertArrayEquals(early.value("secret"), Tls13KeySchedule.earlySecret(SHA_256, early.value("IKM")));
    }

    @Test
    void shouldExpandTheResumptionSecretWithTheTicketNonceAsContext()
    {
        final Step step =
            Rfc8448Trace.find(trace, SIMPLE_1RTT, "server", "generate resumption secret \"tls13 resumption\"");
        assertArrayEquals(step.value("expanded"),
            Tls13KeySchedule.hkdfExpandLabel(SHA_256, step.value("PRK"), "resumption", step.value("hash"), 32));
    }

    @Test
    void shouldDeriveTheNextTrafficSecretLikeAnIndependentHkdfWithTheKeyUpdateLabel()
    {
        final byte[] secret = hex("86c967fd7747a36a0685b4ed8d0e6b4c02b4ddaf3cd294aa44e9f6b0183bf911"
            + "e89a189ba5dfd71fccffb5cc164901f8");
        // HkdfLabel built by hand: length 48, "tls13 traffic upd" (17 bytes), empty context.
        final byte[] info = concat(new byte[] {0, 48, 17}, "tls13 traffic upd".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0});
        final HKDFBytesGenerator bc = new HKDFBytesGenerator(new SHA384Digest());
        bc.init(HKDFParameters.skipExtractParameters(secret, info));
        final byte[] expected = new byte[48];
        bc.generateBytes(expected, 0, expected.length);

        final byte[] next = Tls13KeySchedule.nextTrafficSecret(HashAlgorithm.SHA_384, secret);
        assertArrayEquals(expected, next);
        assertFalse(Arrays.equals(next, Tls13KeySchedule.nextTrafficSecret(HashAlgorithm.SHA_384, next)));
    }

    @Test
    void shouldUseTheSuiteKeyLengthAndHashForEachCipher()
    {
        final byte[] secret48 = new byte[48];
        final byte[] secret32 = new byte[32];
        assertEquals(16, Tls13KeySchedule.trafficKeys(TlsCipher.AES_GCM_128, secret32).keyLength());
        assertEquals(32, Tls13KeySchedule.trafficKeys(TlsCipher.AES_GCM_256, secret48).keyLength());
        assertEquals(32, Tls13KeySchedule.trafficKeys(TlsCipher.CHACHA20_POLY1305, secret32).keyLength());
        assertEquals(12, Tls13KeySchedule.trafficKeys(TlsCipher.CHACHA20_POLY1305, secret32).ivLength());
        assertEquals(HashAlgorithm.SHA_384, HashAlgorithm.forCipher(TlsCipher.AES_GCM_256));
        assertThrows(IllegalArgumentException.class,
            () -> Tls13KeySchedule.hkdfExpandLabel(SHA_256, secret32, "x".repeat(250), new byte[0], 16));
    }

    @Test
    void shouldNeverPrintKeyMaterialAndShouldWipeOnDestroy()
    {
        final TrafficKeys keys = Tls13KeySchedule.trafficKeys(TlsCipher.AES_GCM_128, new byte[32]);
        final String keyHex = hex(keys.key());
        assertEquals("TrafficKeys{key=16 bytes, iv=12 bytes}", keys.toString());
        assertFalse(keys.toString().contains(keyHex));
        keys.destroy();
        assertTrue(keys.isDestroyed());
        assertThrows(IllegalStateException.class, keys::key);
        assertEquals("TrafficKeys{destroyed}", keys.toString());
    }

    @Test
    void shouldDecryptTheIllustratedTls13RecordsWithKeysFromTheKeyLogSecrets()
        throws IOException, GeneralSecurityException
    {
        // illustrated-tls13.pcap (TLS_AES_256_GCM_SHA384), packet 5: ClientHello.random.
        final byte[] clientRandom = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        // Packet 9, after the ChangeCipherSpec: the client's Finished, record number 0 of the handshake epoch.
        final byte[] clientFinished = hex("17030300459ff9b063175177322a46dd9896f3c3bb820ab51743ebc25fdadd53454b73deb5"
            + "4cc7248d411a18bccf657a960824e9a19364837c350a69a88d4bf635c85eb874aebc9dfde8");
        // Packet 11: the client's first application-data record, record number 0 of the application epoch.
        final byte[] clientPing = hex("1703030015828139cb7b73aaabf5b82fbf9a2961bcde10038a32");
        final KeyLog keyLog = KeyLog.read(Vectors.file("external-pcaps/illustrated-tls13.keys"));

        final byte[] finished = openTls13Record(TlsCipher.AES_GCM_256,
            keyLog.secret(KeyLog.CLIENT_HANDSHAKE_TRAFFIC_SECRET, clientRandom).orElseThrow(), clientFinished, 0);
        assertEquals(0x14, finished[0], "handshake message type Finished");
        assertEquals(0x16, finished[finished.length - 1], "inner content type handshake");

        final byte[] ping = openTls13Record(TlsCipher.AES_GCM_256,
            keyLog.secret(KeyLog.CLIENT_TRAFFIC_SECRET_0, clientRandom).orElseThrow(), clientPing, 0);
        assertEquals("ping\u0017", new String(ping, StandardCharsets.US_ASCII));
    }

    /** TLS 1.3: nonce = iv XOR (0^4 || seq), AAD = the 5-byte header. */
    private static byte[] openTls13Record(
        final TlsCipher cipher, final byte[] trafficSecret, final byte[] record, final long recordNumber)
        throws GeneralSecurityException
    {
        final TrafficKeys keys = Tls13KeySchedule.trafficKeys(cipher, trafficSecret);
        final byte[] nonce = keys.iv();
        for (int i = 0; i < 8; i++)
        {
            nonce[4 + i] ^= (byte)(recordNumber >>> (56 - 8 * i));
        }
        return aesGcmOpen(keys.key(), nonce, Arrays.copyOf(record, 5), Arrays.copyOfRange(record, 5, record.length));
    }

    private static void assertPrintedKeys(final Step step, final byte[] trafficSecret)
    {
        final TrafficKeys keys = Tls13KeySchedule.trafficKeys(TlsCipher.AES_GCM_128, trafficSecret);
        assertArrayEquals(step.value("key expanded"), keys.key(), step.toString());
        assertArrayEquals(step.value("iv expanded"), keys.iv(), step.toString());
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] out = new byte[length];
        int offset = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
