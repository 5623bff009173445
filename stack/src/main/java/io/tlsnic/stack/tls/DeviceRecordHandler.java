package io.tlsnic.stack.tls;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import io.tlsnic.stack.tls.device.RecordClass;
import io.tlsnic.stack.tls.device.RxRecordHandler;
import io.tlsnic.stack.tls.strp.FramedRecord;
import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The RX record handler of an offloaded socket (Linux {@code tls_device_decrypted}): a record the device decrypted
 * and authenticated whole needs no software crypto; one it did not touch is decrypted in software; a mixed one has
 * the keystream re-applied to its decrypted parts (CTR is its own inverse: Linux {@code tls_device_reencrypt}) so
 * that it is all ciphertext again, and is then decrypted and authenticated in software, which checks the tag over
 * every byte. AES-GCM (CTR keystream) and ChaCha20-Poly1305 (ChaCha20 keystream from block 1).
 */
final class DeviceRecordHandler implements RxRecordHandler
{
    private final TlsVersion version;
    private final TlsCipher tlsCipher;
    private final SwRecordHandler software;
    private final SecretKeySpec key;
    private final Cipher ctr;
    private final KeyParameter chachaKey;
    private final ChaCha7539Engine chacha = new ChaCha7539Engine();
    private final byte[] nonce = new byte[12];
    private final byte[] saltAndIv = new byte[12];
    private final byte[] counterBlock = new byte[16];
    private final byte[] skip = new byte[16];
    private int lastContentType = -1;
    private int lastPaddingLength;
    private long reencryptedBytes;

    DeviceRecordHandler(final CryptoInfo info, final RecordCipher cipher)
    {
        this.version = info.version();
        this.tlsCipher = info.cipher();
        this.software = new SwRecordHandler(cipher);
        System.arraycopy(info.salt(), 0, saltAndIv, 0, info.salt().length);
        System.arraycopy(info.iv(), 0, saltAndIv, info.salt().length, info.iv().length);
        if (info.cipher().isAesGcm())
        {
            this.key = new SecretKeySpec(info.key(), "AES");
            this.chachaKey = null;
            try
            {
                this.ctr = Cipher.getInstance("AES/CTR/NoPadding");
            }
            catch (final GeneralSecurityException e)
            {
                throw new IllegalStateException("AES-CTR unavailable: " + e.getMessage(), e);
            }
        }
        else
        {
            this.key = null;
            this.ctr = null;
            this.chachaKey = new KeyParameter(info.key());
        }
    }

    /** @return ciphertext bytes restored by re-applying the keystream (a shadow counter). */
    long reencryptedBytes()
    {
        return reencryptedBytes;
    }

    @Override
    public int open(final FramedRecord record, final RecordClass recordClass, final long recordNumber)
    {
        switch (recordClass)
        {
            case DEVICE:
                return openDecrypted(record, recordNumber);
            case MIXED:
                reencrypt(record, recordNumber);
                return openSoftware(record, recordNumber);
            default:
                return openSoftware(record, recordNumber);
        }
    }

    private int openSoftware(final FramedRecord record, final long recordNumber)
    {
        final int n = software.open(record, RecordClass.SOFTWARE, recordNumber);
        lastContentType = software.lastContentType();
        lastPaddingLength = software.lastPaddingLength();
        return n;
    }

    /** The device decrypted and authenticated the whole record: its text is plaintext already. */
    private int openDecrypted(final FramedRecord record, final long recordNumber)
    {
        final byte[] b = record.bytes();
        final int start = record.payloadOffset();
        final int textEnd = b.length - TlsCipher.TAG_LENGTH;
        if (version == TlsVersion.TLS_1_2)
        {
            lastContentType = b[0] & 0xFF;
            lastPaddingLength = 0;
            return textEnd - start;
        }
        int end = textEnd - 1;
        while (end >= start && b[end] == 0)
        {
            end--;
        }
        if (end < start)
        {
            throw new TlsErrnoException(Errno.EBADMSG, "TLS 1.3 record has no content type at record "
                + Long.toUnsignedString(recordNumber));
        }
        lastContentType = b[end] & 0xFF;
        lastPaddingLength = textEnd - end - 1;
        return end - start;
    }

    /** Re-applies the keystream to every decrypted run inside the record's text. */
    void reencrypt(final FramedRecord record, final long recordNumber)
    {
        final byte[] b = record.bytes();
        final int textStart = record.payloadOffset();
        final int textEnd = b.length - TlsCipher.TAG_LENGTH;
        RecordProtection.nonce(version, tlsCipher, saltAndIv, recordNumber, b, RecordProtection.HEADER_LENGTH,
            nonce, 0);
        System.arraycopy(nonce, 0, counterBlock, 0, 12);
        if (chachaKey != null)
        {
            chacha.init(true, new ParametersWithIV(chachaKey, nonce));
        }
        int runStart = 0;
        for (int run = 0; run < record.markRunCount(); run++)
        {
            final int runEnd = record.markRunEnd(run);
            if (record.markRunValue(run) == TcpTransport.MARK_DECRYPTED)
            {
                final int from = Math.max(runStart, textStart);
                final int to = Math.min(runEnd, textEnd);
                if (from < to)
                {
                    applyKeystream(b, from - textStart, textStart, to - from);
                }
            }
            runStart = runEnd;
        }
    }

    private void applyKeystream(final byte[] b, final int textOffset, final int textStart, final int length)
    {
        if (chachaKey != null)
        {
            // ChaCha20-Poly1305: block 0 keys Poly1305, the text's keystream starts at block 1 (byte 64).
            chacha.seekTo(64L + textOffset);
            chacha.processBytes(b, textStart + textOffset, length, b, textStart + textOffset);
            reencryptedBytes += length;
            return;
        }
        final int block = 2 + textOffset / 16;
        counterBlock[12] = (byte)(block >>> 24);
        counterBlock[13] = (byte)(block >>> 16);
        counterBlock[14] = (byte)(block >>> 8);
        counterBlock[15] = (byte)block;
        try
        {
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock));
            final int into = textOffset % 16;
            if (into > 0)
            {
                ctr.update(skip, 0, into, skip, 0);
            }
            ctr.update(b, textStart + textOffset, length, b, textStart + textOffset);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("AES-CTR failed: " + e.getMessage(), e);
        }
        reencryptedBytes += length;
    }

    @Override
    public int lastContentType()
    {
        return lastContentType;
    }

    @Override
    public int lastPaddingLength()
    {
        return lastPaddingLength;
    }
}
