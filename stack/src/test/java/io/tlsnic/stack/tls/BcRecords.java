package io.tlsnic.stack.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Opens records with Bouncy Castle's lightweight AEADs and nonces/AADs built here by hand from RFC 5288 §3,
 * RFC 7905 §2 and RFC 8446 §5.2-5.3, so that no code of the layer under test is involved.
 */
final class BcRecords
{
    /** One opened record. */
    static final class Opened
    {
        final int type;
        final byte[] content;
        final int wireLength;
        final long explicitNonce;

        Opened(final int type, final byte[] content, final int wireLength, final long explicitNonce)
        {
            this.type = type;
            this.content = content;
            this.wireLength = wireLength;
            this.explicitNonce = explicitNonce;
        }
    }

    private final CryptoInfo info;
    private long seq;

    BcRecords(final CryptoInfo info)
    {
        this.info = info;
        this.seq = info.recSeq();
    }

    /** Opens every whole record in {@code stream}, in order; fails on a trailing partial record. */
    List<Opened> openAll(final byte[] stream)
    {
        final List<Opened> out = new ArrayList<>();
        int at = 0;
        while (at < stream.length)
        {
            final Opened o = open(stream, at);
            out.add(o);
            at += o.wireLength;
        }
        return out;
    }

    /** @return the concatenated content of all records (all must be data). */
    byte[] dataOf(final byte[] stream)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Opened o : openAll(stream))
        {
            if (o.type != 23)
            {
                throw new AssertionError("record of type " + o.type + " in a data stream");
            }
            out.write(o.content, 0, o.content.length);
        }
        return out.toByteArray();
    }

    Opened open(final byte[] rec, final int off)
    {
        final int outerType = rec[off] & 0xFF;
        if (rec[off + 1] != 3 || rec[off + 2] != 3)
        {
            throw new AssertionError("legacy version is not 0x0303 at offset " + off);
        }
        final int bodyLength = (rec[off + 3] & 0xFF) << 8 | (rec[off + 4] & 0xFF);
        final boolean tls13 = info.version() == TlsVersion.TLS_1_3;
        final boolean explicit = !tls13 && info.cipher().isAesGcm();
        final byte[] nonce = new byte[12];
        long explicitValue = -1;
        if (explicit)
        {
            // RFC 5288 §3: GCMNonce = salt(4) || nonce_explicit(8), the explicit part sent after the header.
            System.arraycopy(info.salt(), 0, nonce, 0, 4);
            System.arraycopy(rec, off + 5, nonce, 4, 8);
            explicitValue = 0;
            for (int i = 0; i < 8; i++)
            {
                explicitValue = explicitValue << 8 | (rec[off + 5 + i] & 0xFF);
            }
        }
        else
        {
            // RFC 7905 §2 / RFC 8446 §5.3: the 64-bit sequence number, left-padded, XORed into the 12-byte IV.
            final byte[] writeIv = new byte[12];
            final byte[] salt = info.salt();
            System.arraycopy(salt, 0, writeIv, 0, salt.length);
            System.arraycopy(info.iv(), 0, writeIv, salt.length, 12 - salt.length);
            for (int i = 0; i < 12; i++)
            {
                nonce[i] = (byte)(writeIv[i] ^ (i < 4 ? 0 : (byte)(seq >>> (8 * (11 - i)))));
            }
        }
        final int cipherStart = off + 5 + (explicit ? 8 : 0);
        final int cipherLength = bodyLength - (explicit ? 8 : 0);
        final int plainLength = cipherLength - 16;
        final byte[] aad;
        if (tls13)
        {
            aad = Arrays.copyOfRange(rec, off, off + 5);
        }
        else
        {
            aad = new byte[13];
            for (int i = 0; i < 8; i++)
            {
                aad[i] = (byte)(seq >>> (56 - 8 * i));
            }
            aad[8] = (byte)outerType;
            aad[9] = 3;
            aad[10] = 3;
            aad[11] = (byte)(plainLength >>> 8);
            aad[12] = (byte)plainLength;
        }
        final AEADCipher aead = info.cipher() == TlsCipher.CHACHA20_POLY1305
            ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
        aead.init(false, new AEADParameters(new KeyParameter(info.key()), 128, nonce, aad));
        final byte[] plain = new byte[aead.getOutputSize(cipherLength)];
        try
        {
            int n = aead.processBytes(rec, cipherStart, cipherLength, plain, 0);
            n += aead.doFinal(plain, n);
            if (n != plainLength)
            {
                throw new AssertionError("plaintext " + n + " != " + plainLength);
            }
        }
        catch (final InvalidCipherTextException e)
        {
            throw new AssertionError("record " + seq + " at offset " + off + " does not authenticate", e);
        }
        seq++;
        if (!tls13)
        {
            return new Opened(outerType, plain, 5 + bodyLength, explicitValue);
        }
        int end = plain.length - 1;
        while (end >= 0 && plain[end] == 0)
        {
            end--;
        }
        return new Opened(plain[end] & 0xFF, Arrays.copyOf(plain, end), 5 + bodyLength, -1);
    }
}
