package io.tlsnic.nic.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * A flow's records as the host hands them to the device (plaintext image: header, explicit nonce, plaintext,
 * zero tag placeholder) and as they must leave it (sealed by the independent software {@link RecordCipher}).
 */
final class RecordStream
{
    final CryptoInfo info;
    final byte[] image;
    final byte[] sealed;
    /** Stream offset of each record's header. */
    final List<Integer> recordStarts = new ArrayList<>();

    RecordStream(final TlsVersion version, final TlsCipher cipher, final long firstRecord, final int records,
        final SplittableRandom random)
    {
        final byte[] key = bytes(random, cipher.keyLength());
        info = CryptoInfo.of(version, cipher, bytes(random, cipher.ivLength()), key, bytes(random, cipher.saltLength()),
            firstRecord);
        final RecordCipher software = new RecordCipher(version, cipher, info.key(), info.salt(), info.iv(), firstRecord);
        final ByteArrayOutputStream imageOut = new ByteArrayOutputStream();
        final ByteArrayOutputStream sealedOut = new ByteArrayOutputStream();
        for (int i = 0; i < records; i++)
        {
            final long seq = firstRecord + i;
            final int kind = random.nextInt(6);
            final int length = kind == 0 ? 0 : kind == 1 ? RecordProtection.MAX_PLAINTEXT_LENGTH
                : 1 + random.nextInt(kind == 2 ? 40 : 5000);
            final int padding = version == TlsVersion.TLS_1_3 && random.nextInt(4) == 0 ? random.nextInt(30) : 0;
            final int type = random.nextInt(8) == 0 ? 21 : 23;
            final byte[] plain = bytes(random, length);
            final byte[] record = new byte[software.sealedLength(length, padding)];
            software.seal(seq, type, plain, 0, length, padding, record, 0);
            recordStarts.add(sealedOut.size());
            sealedOut.writeBytes(record);

            // The plaintext image the host builds: same header and explicit nonce, text in clear, empty tag.
            final int prefix = RecordProtection.HEADER_LENGTH + cipher.explicitNonceLength(version);
            final byte[] img = new byte[record.length];
            System.arraycopy(record, 0, img, 0, prefix);
            System.arraycopy(plain, 0, img, prefix, length);
            if (version == TlsVersion.TLS_1_3)
            {
                img[prefix + length] = (byte)type;
            }
            imageOut.writeBytes(img);
        }
        image = imageOut.toByteArray();
        sealed = sealedOut.toByteArray();
    }

    /** The image with tags as sealed: what an RX device leaves after decrypting everything. */
    byte[] decryptedImage()
    {
        final byte[] d = image.clone();
        for (int i = 0; i < recordStarts.size(); i++)
        {
            final int end = i + 1 < recordStarts.size() ? recordStarts.get(i + 1) : sealed.length;
            System.arraycopy(sealed, end - 16, d, end - 16, 16);
        }
        return d;
    }

    /** Random cut points: mostly MSS-like, some tiny, some big (whole records in one segment). */
    static List<int[]> segments(final int length, final SplittableRandom random)
    {
        final List<int[]> segs = new ArrayList<>();
        int p = 0;
        while (p < length)
        {
            final int kind = random.nextInt(10);
            final int n = kind == 0 ? 1 + random.nextInt(20) : kind == 1 ? 20000 + random.nextInt(40000)
                : 1 + random.nextInt(1448);
            final int take = Math.min(n, length - p);
            segs.add(new int[] {p, take});
            p += take;
        }
        return segs;
    }

    static byte[] bytes(final SplittableRandom random, final int n)
    {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
