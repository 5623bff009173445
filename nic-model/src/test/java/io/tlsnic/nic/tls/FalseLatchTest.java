package io.tlsnic.nic.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tlsnic.nic.flow.TrackerState;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * A false latch: record 3's ciphertext is made to look like a chain of TLS 1.3 headers ({@code 17 03 03 00 20}
 * every 37 bytes up to the end of a packet) by choosing its plaintext as keystream XOR that chain. After a lost
 * header the device scans, latches onto the fake chain, asks for a resync the host never gives, finds the chain
 * broken, gives the request up, latches onto a real header, and decrypts again once that one is confirmed. It may
 * waste work; it must never mark a packet decrypted whose bytes are not the true plaintext.
 */
class FalseLatchTest
{
    private static final int MSS = 1448;
    private static final int CONTENT = 8000;
    private static final int RECORDS = 8;

    @Test
    void shouldSurviveAPayloadThatLooksLikeAChainOfHeaders()
    {
        final SplittableRandom random = new SplittableRandom(99);
        final CryptoInfo info = CryptoInfo.random(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, random);
        final RecordCipher cipher = new RecordCipher(info.version(), info.cipher(), info.key(), info.salt(), info.iv(),
            info.recSeq());
        final int recordLength = 5 + CONTENT + 1 + 16;
        final int[] starts = new int[RECORDS];
        for (int r = 0; r < RECORDS; r++)
        {
            starts[r] = r * recordLength;
        }
        // The packet whose last bytes carry the fake chain lies wholly inside record 3's text.
        final int fakePacket = starts[3] / MSS + 2;
        final int fakeFrom = fakePacket * MSS + 200;
        final int fakeTo = (fakePacket + 1) * MSS;

        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final ByteArrayOutputStream plainImage = new ByteArrayOutputStream();
        for (int r = 0; r < RECORDS; r++)
        {
            final long seq = info.recSeq() + r;
            final byte[] content = new byte[CONTENT];
            random.nextBytes(content);
            if (r == 3)
            {
                // Keystream of record 3 = its ciphertext for an all-zero content.
                final byte[] zeros = new byte[recordLength];
                cipher.seal(seq, 23, new byte[CONTENT], 0, CONTENT, 0, zeros, 0);
                for (int p = fakeFrom; p < fakeTo; p++)
                {
                    final int t = p - starts[3] - 5;
                    final int unit = (p - fakeFrom) % 37;
                    final int want = unit < 5 ? new byte[] {0x17, 0x03, 0x03, 0x00, 0x20}[unit] : 0xAA;
                    content[t] = (byte)(zeros[5 + t] ^ want);
                }
            }
            final byte[] record = new byte[recordLength];
            cipher.seal(seq, 23, content, 0, CONTENT, 0, record, 0);
            stream.writeBytes(record);
            final byte[] image = record.clone();
            System.arraycopy(content, 0, image, 5, CONTENT);
            image[5 + CONTENT] = 23;
            plainImage.writeBytes(image);
        }
        final byte[] wire = stream.toByteArray();
        final byte[] truth = plainImage.toByteArray();
        assertEquals(0x17, wire[fakeFrom] & 0xFF, "the ciphertext carries the fake chain");
        assertEquals(0x20, wire[fakeFrom + 4] & 0xFF);

        final long base = 100_000;
        final RxTlsEngine engine = new RxTlsEngine(info, base);
        final int lostPacket = starts[3] / MSS; // carries record 3's header: the device searches through record 3
        final List<Long> requests = new ArrayList<>();
        boolean abandoned = false;
        int decryptedPackets = 0;
        for (int p = 0; p * MSS < wire.length; p++)
        {
            final int from = p * MSS;
            final int n = Math.min(MSS, wire.length - from);
            if (p == lostPacket)
            {
                continue;
            }
            final byte[] packet = Arrays.copyOfRange(wire, from, from + n);
            final RxTlsEngine.Outcome o = engine.process(base + from, packet, 0, n);
            if (o.requestStarted)
            {
                requests.add(o.resyncSeq - base);
            }
            abandoned |= o.requestAbandoned;
            if (o.status == RxTlsEngine.Status.DECRYPTED)
            {
                decryptedPackets++;
                assertArrayEquals(Arrays.copyOfRange(truth, from, from + n), packet,
                    "packet " + p + " marked decrypted must hold the true plaintext");
            }
            else
            {
                assertArrayEquals(Arrays.copyOfRange(wire, from, from + n), packet, "unmodified when not decrypted");
            }
            // The host confirms only real record starts, as its strparser sees them.
            if (o.requestStarted)
            {
                for (int r = 0; r < RECORDS; r++)
                {
                    if (o.resyncSeq - base == starts[r])
                    {
                        engine.resync(o.resyncSeq, info.recSeq() + r);
                    }
                }
            }
        }
        assertTrue(requests.size() >= 2, "requests: " + requests);
        assertTrue(requests.get(0) >= fakeFrom && requests.get(0) < fakeTo, "first latch on the fake chain at "
            + requests.get(0));
        assertTrue(abandoned, "the false latch was given up");
        assertNotEquals(TrackerState.SEARCHING, engine.state());
        assertTrue(decryptedPackets > 10, "decrypting again after a real header: " + decryptedPackets);
    }
}
