package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.tlsnic.wire.testing.Rfc8448Trace;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Every protected record printed in RFC 8448, sealed and opened with the write key and IV the RFC prints just
 * before it, record numbers counted per key as TLS 1.3 does. Values are read from the RFC text, never retyped.
 */
class Rfc8448RecordsTest
{
    private static final class Writer
    {
        RecordCipher cipher;
        byte[] key;
        byte[] iv;
        long seq;
    }

    @Test
    void shouldSealAndOpenEveryProtectedRecordOfTheRfc() throws Exception
    {
        final List<Rfc8448Trace.Step> steps = Rfc8448Trace.read();
        final Map<String, Writer> writers = new HashMap<>();
        final Map<String, Rfc8448Trace.Step> readKeys = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(8448);
        int section = -1;
        int checked = 0;
        for (final Rfc8448Trace.Step step : steps)
        {
            if (step.section != section)
            {
                section = step.section;
                writers.clear();
                readKeys.clear();
            }
            if (step.title.startsWith("derive read traffic keys") && step.has("key expanded"))
            {
                readKeys.put(step.actor + " " + dataKind(step.title), step);
                continue;
            }
            if (step.title.startsWith("derive write traffic keys"))
            {
                // "{client} derive write traffic keys for handshake data (same as server handshake data read
                // traffic keys)": the values were printed under the peer's read step.
                final Rfc8448Trace.Step keys = step.has("key expanded") ? step
                    : readKeys.get(("client".equals(step.actor) ? "server" : "client") + " " + dataKind(step.title));
                final Writer w = new Writer();
                w.key = keys.value("key expanded");
                w.iv = keys.value("iv expanded");
                w.cipher = new RecordCipher(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, w.key,
                    Arrays.copyOf(w.iv, 4), Arrays.copyOfRange(w.iv, 4, 12), 0);
                writers.put(step.actor, w);
                continue;
            }
            if (!step.title.startsWith("send ") || !step.has("payload") || !step.has("complete record"))
            {
                continue;
            }
            final byte[] payload = step.value("payload");
            final byte[] record = step.value("complete record");
            if (record.length == payload.length + RecordProtection.HEADER_LENGTH)
            {
                continue; // a plaintext record (ClientHello, ServerHello)
            }
            final Writer w = writers.get(step.actor);
            final String id = step + " record " + w.seq;
            final int type = contentType(step.title);
            final int padding = record.length - (payload.length + RecordProtection.overhead(
                TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128));

            final byte[] sealed = new byte[record.length];
            assertEquals(record.length, w.cipher.seal(w.seq, type, payload, 0, payload.length, padding, sealed, 0));
            assertArrayEquals(record, sealed, id + ": seal");

            final byte[] opened = new byte[record.length];
            final int n = w.cipher.open(w.seq, record, 0, record.length, opened, 0);
            assertArrayEquals(payload, Arrays.copyOf(opened, n), id + ": open");
            assertEquals(type, w.cipher.lastContentType(), id + ": inner content type");

            assertStreamDecrypts(w, record, payload, type, random, id);
            w.seq++;
            checked++;
        }
        // The five traces of the RFC print 27 protected records between them.
        assertEquals(27, checked, "protected records checked");
    }

    /** The incremental engine, fed the record in random segments, opens it too. */
    private static void assertStreamDecrypts(
        final Writer w, final byte[] record, final byte[] payload, final int type, final SplittableRandom random,
        final String id)
    {
        final byte[] nonce = new byte[12];
        RecordProtection.nonce(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128,
            w.iv, w.seq, null, 0, nonce, 0);
        final AesGcmStream stream = new AesGcmStream(w.key);
        stream.start(false, nonce, 0, record, 0, RecordProtection.TLS13_AAD_LENGTH);
        final int textLength = record.length - RecordProtection.HEADER_LENGTH - 16;
        final byte[] body = Arrays.copyOfRange(record, RecordProtection.HEADER_LENGTH,
            RecordProtection.HEADER_LENGTH + textLength);
        final byte[] plain = new byte[textLength];
        GcmCheck.feed(stream, body, plain, random);
        assertTrue(stream.verifyTag(record, record.length - 16), id + ": streamed tag");
        assertArrayEquals(payload, Arrays.copyOf(plain, payload.length), id + ": streamed plaintext");
        assertEquals(type, plain[payload.length] & 0xFF, id + ": streamed inner type");
    }

    private static String dataKind(final String action)
    {
        final int start = action.indexOf(" for ") + 5;
        final int end = action.indexOf(" data", start);
        return action.substring(start, end);
    }

    private static int contentType(final String action)
    {
        if (action.contains("application_data"))
        {
            return 23;
        }
        if (action.contains("alert"))
        {
            return 21;
        }
        if (action.contains("handshake"))
        {
            return 22;
        }
        throw new IllegalArgumentException("unknown record kind in '" + action + "'");
    }
}
