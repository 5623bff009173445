package io.tlsnic.nic.tls;

import io.tlsnic.nic.flow.FlowContextTable;
import io.tlsnic.nic.flow.FlowEngine;
import io.tlsnic.wire.crypto.StreamingAead;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The TX half of a flow's inline TLS: the host hands over records in plaintext (header, explicit nonce,
 * plaintext, 16-byte tag placeholder) cut into segments anyhow; the engine encrypts the text in place and writes
 * the tag bytes into the placeholder of whichever segment holds them. State carries over between segments:
 * partial prefix, partial block and authenticator (in the {@link StreamingAead}), and the tag until all of it is written.
 *
 * <p>A segment must start at the TCP seq the context expects; anything else is refused with
 * {@link Result#OUT_OF_ORDER} and the caller drops it (tls-offload.rst: "cleartext of an offloaded flow never
 * reaches the wire"). A record header this flow cannot carry is {@link Result#ERROR}.
 */
public final class TxTlsEngine implements FlowEngine
{
    /** Outcome of one segment. */
    public enum Result
    {
        /** Every record byte in the segment was encrypted (or was a header / tag). */
        ENCRYPTED,
        /** The segment's seq is not the expected one; nothing was touched. */
        OUT_OF_ORDER,
        /** A record header in the segment is invalid; the segment must be dropped. */
        ERROR
    }

    private final RecordCursor cursor;
    private final StreamingAead engine;
    private final byte[] saltAndIv = new byte[12];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[13];
    private final byte[] tag = new byte[TlsCipher.TAG_LENGTH];
    private long expectedSeq;
    private long encryptedBytes;
    private int recordsCompleted;

    /**
     * @param info the context's crypto_info (AES-GCM or ChaCha20-Poly1305).
     * @param startTcpSeq TCP seq of the first byte of record {@code info.recSeq()} (tls_dev_add's start seq).
     */
    public TxTlsEngine(final CryptoInfo info, final long startTcpSeq)
    {
        this(info.version(), info.cipher(), info.key(), saltAndIv(info), startTcpSeq, info.recSeq());
    }

    /**
     * @param version TLS version.
     * @param cipher AES-GCM-128 or -256.
     * @param key key bytes (not kept: expanded into the cipher state).
     * @param saltAndIv salt(4) || iv(8), the nonce base.
     * @param startTcpSeq TCP seq at a record boundary.
     * @param recordNumber number of the record starting there.
     */
    public TxTlsEngine(final TlsVersion version, final TlsCipher cipher, final byte[] key, final byte[] saltAndIv,
        final long startTcpSeq, final long recordNumber)
    {
        cursor = new RecordCursor(version, cipher, recordNumber);
        engine = StreamingAead.of(cipher, key);
        System.arraycopy(saltAndIv, 0, this.saltAndIv, 0, 12);
        expectedSeq = startTcpSeq & 0xFFFF_FFFFL;
    }

    static byte[] saltAndIv(final CryptoInfo info)
    {
        // salt(4) || iv(8) for AES-GCM; iv(12) for ChaCha20-Poly1305 (no salt).
        final byte[] nonceBase = new byte[12];
        System.arraycopy(info.salt(), 0, nonceBase, 0, info.salt().length);
        System.arraycopy(info.iv(), 0, nonceBase, info.salt().length, info.iv().length);
        return nonceBase;
    }

    @Override
    public void close()
    {
        engine.close();
    }

    @Override
    public boolean midRecord()
    {
        return cursor.recordOffset != 0;
    }

    @Override
    public boolean pinned()
    {
        return midRecord();
    }

    @Override
    public void saveTo(final FlowContextTable table, final int slot)
    {
        table.setExpectedTcpSeq(slot, (int)expectedSeq);
        table.setRecordNumber(slot, cursor.recordNumber);
        table.setRecordOffset(slot, cursor.recordOffset);
        table.setRecordLength(slot, cursor.recordLength());
    }

    /** @return the TCP seq the next segment must start at. */
    public long expectedSeq()
    {
        return expectedSeq;
    }

    /** @return number of the record the next byte belongs to. */
    public long recordNumber()
    {
        return cursor.recordNumber;
    }

    /** @return text bytes encrypted so far. */
    public long encryptedBytes()
    {
        return encryptedBytes;
    }

    /** @return records whose tag has been written completely. */
    public int recordsCompleted()
    {
        return recordsCompleted;
    }

    /**
     * Encrypts one segment's TLS payload in place.
     *
     * @param tcpSeq TCP seq of {@code buf[offset]}.
     * @param buf payload bytes.
     * @param offset first payload byte.
     * @param length payload length.
     * @return the outcome.
     */
    public Result encrypt(final long tcpSeq, final byte[] buf, final int offset, final int length)
    {
        if ((tcpSeq & 0xFFFF_FFFFL) != expectedSeq)
        {
            return Result.OUT_OF_ORDER;
        }
        int p = offset;
        final int end = offset + length;
        while (p < end)
        {
            if (cursor.recordOffset == 0 && wholeRecordAt(buf, p, end))
            {
                final int sealed = sealWhole(buf, p);
                if (sealed < 0)
                {
                    return Result.ERROR;
                }
                p += sealed;
                continue;
            }
            final int take = Math.min(cursor.runRemaining(), end - p);
            switch (cursor.run())
            {
                case RecordCursor.PREFIX:
                    System.arraycopy(buf, p, cursor.prefix, cursor.recordOffset, take);
                    cursor.recordOffset += take;
                    if (cursor.recordOffset == cursor.prefixLength && !startRecord())
                    {
                        return Result.ERROR;
                    }
                    break;
                case RecordCursor.TEXT:
                    engine.update(buf, p, take, buf, p);
                    encryptedBytes += take;
                    cursor.recordOffset += take;
                    break;
                default:
                    final int tagOffset = cursor.offsetInRun();
                    if (tagOffset == 0)
                    {
                        engine.finishTag(tag, 0);
                    }
                    System.arraycopy(tag, tagOffset, buf, p, take);
                    cursor.recordOffset += take;
                    if (tagOffset + take == TlsCipher.TAG_LENGTH)
                    {
                        recordsCompleted++;
                        cursor.nextRecord();
                    }
                    break;
            }
            p += take;
        }
        expectedSeq = (expectedSeq + length) & 0xFFFF_FFFFL;
        return Result.ENCRYPTED;
    }

    private boolean wholeRecordAt(final byte[] buf, final int p, final int end)
    {
        if (end - p < cursor.prefixLength)
        {
            return false;
        }
        final int body = ((buf[p + 3] & 0xFF) << 8) | (buf[p + 4] & 0xFF);
        return end - p >= RecordProtection.HEADER_LENGTH + body;
    }

    /** Seals a record that lies whole in the segment with the fused one-shot path; -1 for a bad header. */
    private int sealWhole(final byte[] buf, final int p)
    {
        System.arraycopy(buf, p, cursor.prefix, 0, cursor.prefixLength);
        cursor.recordOffset = cursor.prefixLength;
        final int textLength = cursor.parseHeader();
        if (textLength < 0)
        {
            return -1;
        }
        cursor.textLength = textLength;
        final int aadLength = nonceAndAad();
        final int textStart = p + cursor.prefixLength;
        engine.sealOrOpenWhole(true, nonce, 0, aad, 0, aadLength, buf, textStart, textLength, buf, textStart);
        encryptedBytes += textLength;
        recordsCompleted++;
        final int total = cursor.prefixLength + textLength + TlsCipher.TAG_LENGTH;
        cursor.nextRecord();
        return total;
    }

    private boolean startRecord()
    {
        final int textLength = cursor.parseHeader();
        if (textLength < 0)
        {
            return false;
        }
        cursor.textLength = textLength;
        final int aadLength = nonceAndAad();
        engine.start(true, nonce, 0, aad, 0, aadLength);
        return true;
    }

    private int nonceAndAad()
    {
        final TlsVersion version = cursor.version;
        RecordProtection.nonce(version, cursor.cipher, saltAndIv, cursor.recordNumber, cursor.prefix,
            RecordProtection.HEADER_LENGTH, nonce, 0);
        if (version == TlsVersion.TLS_1_3)
        {
            System.arraycopy(cursor.prefix, 0, aad, 0, RecordProtection.TLS13_AAD_LENGTH);
            return RecordProtection.TLS13_AAD_LENGTH;
        }
        return RecordProtection.aad(version, cursor.recordNumber, cursor.prefix[0] & 0xFF, cursor.textLength, aad, 0);
    }
}
