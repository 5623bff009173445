package io.tlsnic.harness.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.tlsnic.wire.crypto.AesGcmStream;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * End-to-end demo of the record layer: a software sender seals an application's writes into TLS records; the
 * byte stream is cut into 1448-byte TCP segments; a device-style receiver walks record headers across segment
 * boundaries and decrypts AES-GCM records in flight with the incremental engine, holding each record's plaintext
 * back until its tag verifies; ChaCha20-Poly1305 records, which the default device does not offload, are opened
 * in software. Every delivered byte is compared with what the application wrote.
 */
public final class RecordDemo
{
    /** Outcome of one version x cipher run. */
    public record Result(
        TlsVersion version, TlsCipher cipher, int records, long plaintextBytes, long wireBytes, int segments,
        int headersSplit, int tagsSplit, String path, boolean verified)
    {
    }

    private static final int SEGMENT = 1448;

    private RecordDemo()
    {
    }

    /**
     * @param seed workload seed.
     * @param writes application writes per combination.
     * @return one result per version x cipher.
     */
    public static List<Result> run(final long seed, final int writes)
    {
        final List<Result> results = new ArrayList<>();
        for (final TlsVersion version : TlsVersion.values())
        {
            for (final TlsCipher cipher : new TlsCipher[] {
                TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256, TlsCipher.CHACHA20_POLY1305})
            {
                results.add(runOne(version, cipher, new SplittableRandom(seed ^ (version.code() * 131L + cipher.id())),
                    writes));
            }
        }
        return results;
    }

    private static Result runOne(
        final TlsVersion version, final TlsCipher cipher, final SplittableRandom random, final int writes)
    {
        final byte[] key = bytes(random, cipher.keyLength());
        final byte[] salt = bytes(random, cipher.saltLength());
        final byte[] iv = bytes(random, cipher.ivLength());
        final RecordCipher sender = new RecordCipher(version, cipher, key, salt, iv, 0);

        // The application writes; each write becomes one record (kTLS without MSG_MORE).
        final java.io.ByteArrayOutputStream app = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < writes; i++)
        {
            final int length = random.nextInt(4) == 0 ? RecordProtection.MAX_PLAINTEXT_LENGTH : 1 + random.nextInt(3000);
            final byte[] data = bytes(random, length);
            app.writeBytes(data);
            final byte[] record = new byte[sender.sealedLength(length, 0)];
            sender.seal(i, 23, data, 0, length, 0, record, 0);
            wire.writeBytes(record);
        }
        final byte[] stream = wire.toByteArray();
        final byte[] expected = app.toByteArray();

        final Receiver receiver = new Receiver(version, cipher, key, salt, iv);
        int segments = 0;
        for (int p = 0; p < stream.length; p += SEGMENT)
        {
            receiver.onSegment(stream, p, Math.min(SEGMENT, stream.length - p));
            segments++;
        }
        final byte[] delivered = receiver.delivered.toByteArray();
        return new Result(version, cipher, receiver.records, expected.length, stream.length, segments,
            receiver.headersSplit, receiver.tagsSplit, cipher.isAesGcm() ? "device (streamed)" : "software",
            Arrays.equals(expected, delivered) && receiver.failures == 0);
    }

    /** A receiver that follows records across segments, as a device's record tracker does in order. */
    private static final class Receiver
    {
        private final TlsVersion version;
        private final TlsCipher cipher;
        private final byte[] salt;
        private final byte[] iv;
        private final AesGcmStream engine;
        private final RecordCipher software;
        private final java.io.ByteArrayOutputStream delivered = new java.io.ByteArrayOutputStream();
        private final byte[] header = new byte[RecordProtection.HEADER_LENGTH + 8];
        private final byte[] nonce = new byte[12];
        private final byte[] aad = new byte[13];
        private byte[] body = new byte[0];
        private int headerHave;
        private int bodyLength;
        private int bodyHave;
        private long seq;
        int records;
        int failures;
        int headersSplit;
        int tagsSplit;

        Receiver(final TlsVersion version, final TlsCipher cipher, final byte[] key, final byte[] salt, final byte[] iv)
        {
            this.version = version;
            this.cipher = cipher;
            this.salt = salt;
            this.iv = iv;
            this.engine = cipher.isAesGcm() ? new AesGcmStream(key) : null;
            this.software = new RecordCipher(version, cipher, key, salt, iv, 0);
        }

        void onSegment(final byte[] b, final int offset, final int length)
        {
            final int prefix = RecordProtection.HEADER_LENGTH + cipher.explicitNonceLength(version);
            int p = offset;
            final int end = offset + length;
            while (p < end)
            {
                if (headerHave < prefix)
                {
                    final int take = Math.min(prefix - headerHave, end - p);
                    System.arraycopy(b, p, header, headerHave, take);
                    headerHave += take;
                    p += take;
                    if (headerHave < prefix)
                    {
                        headersSplit++;
                        return;
                    }
                    startRecord(prefix);
                    continue;
                }
                final int take = Math.min(bodyLength - bodyHave, end - p);
                final int textLength = bodyLength - 16;
                if (engine != null && bodyHave < textLength)
                {
                    // Decrypt in flight: this segment's share of the ciphertext, released before the tag is seen.
                    final int text = Math.min(take, textLength - bodyHave);
                    engine.update(b, p, text, body, bodyHave);
                    System.arraycopy(b, p + text, body, bodyHave + text, take - text);
                }
                else
                {
                    System.arraycopy(b, p, body, bodyHave, take);
                }
                bodyHave += take;
                p += take;
                if (bodyHave < bodyLength)
                {
                    if (bodyHave > textLength)
                    {
                        tagsSplit++;
                    }
                    return;
                }
                finishRecord(prefix);
            }
        }

        private void startRecord(final int prefix)
        {
            bodyLength = (((header[3] & 0xFF) << 8) | (header[4] & 0xFF)) - (prefix - RecordProtection.HEADER_LENGTH);
            if (body.length < bodyLength)
            {
                body = new byte[bodyLength];
            }
            bodyHave = 0;
            if (engine != null)
            {
                final byte[] saltAndIv = new byte[12];
                System.arraycopy(salt, 0, saltAndIv, 0, salt.length);
                System.arraycopy(iv, 0, saltAndIv, salt.length, iv.length);
                RecordProtection.nonce(version, cipher, saltAndIv, seq, header, RecordProtection.HEADER_LENGTH,
                    nonce, 0);
                final int aadLength = version == TlsVersion.TLS_1_3
                    ? copy(header, aad, RecordProtection.TLS13_AAD_LENGTH)
                    : RecordProtection.aad(version, seq, header[0] & 0xFF, bodyLength - 16, aad, 0);
                engine.start(false, nonce, 0, aad, 0, aadLength);
            }
        }

        private void finishRecord(final int prefix)
        {
            final int textLength = bodyLength - 16;
            if (engine != null)
            {
                if (!engine.verifyTag(body, textLength))
                {
                    failures++;
                }
                else
                {
                    int contentLength = textLength;
                    if (version == TlsVersion.TLS_1_3)
                    {
                        while (contentLength > 0 && body[contentLength - 1] == 0)
                        {
                            contentLength--;
                        }
                        contentLength--; // the inner content type
                    }
                    delivered.write(body, 0, contentLength);
                }
            }
            else
            {
                final byte[] record = new byte[prefix + bodyLength];
                System.arraycopy(header, 0, record, 0, prefix);
                System.arraycopy(body, 0, record, prefix, bodyLength);
                final byte[] out = new byte[record.length];
                delivered.write(out, 0, software.open(seq, record, 0, record.length, out, 0));
            }
            records++;
            seq++;
            headerHave = 0;
        }

        private static int copy(final byte[] from, final byte[] to, final int n)
        {
            System.arraycopy(from, 0, to, 0, n);
            return n;
        }
    }

    /** Prints the results as a table. */
    public static void print(final List<Result> results, final PrintStream out)
    {
        out.printf("%-8s %-18s %8s %12s %12s %9s %13s %10s %-18s %s%n", "version", "cipher", "records",
            "plaintext B", "wire B", "segments", "hdr split", "tag split", "receive path", "plaintext");
        for (final Result r : results)
        {
            out.printf("%-8s %-18s %8d %12d %12d %9d %13d %10d %-18s %s%n", r.version().label(), r.cipher().label(),
                r.records(), r.plaintextBytes(), r.wireBytes(), r.segments(), r.headersSplit(), r.tagsSplit(),
                r.path(), r.verified() ? "identical" : "MISMATCH");
        }
    }

    private static byte[] bytes(final SplittableRandom random, final int n)
    {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
