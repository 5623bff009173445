package io.tlsnic.nic.tls;

import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Where a flow's byte stream stands inside its TLS records: the device-side view that lets records and TCP
 * segments align arbitrarily. A record is walked as three runs:
 *
 * <pre>
 *   | prefix: header(5) [+ explicit nonce(8), TLS 1.2 AES-GCM] | text: ciphertext or plaintext | tag(16) |
 *   ^ offset 0                                                 ^ prefixLength                 ^ prefixLength + textLength
 * </pre>
 *
 * The prefix is carried across segments in {@link #prefix}; the text length is known once the prefix is whole.
 * Record numbers are unsigned 64-bit.
 */
final class RecordCursor
{
    /** Run kinds returned by {@link #run}. */
    static final int PREFIX = 0;
    static final int TEXT = 1;
    static final int TAG = 2;

    final TlsVersion version;
    final TlsCipher cipher;
    final int prefixLength;
    final int maxBodyLength;
    final byte[] prefix;

    /** Offset of the next byte inside the current record. */
    int recordOffset;
    /** Text length of the current record, or -1 while its prefix is incomplete. */
    int textLength = -1;
    /** Number of the current record. */
    long recordNumber;

    RecordCursor(final TlsVersion version, final TlsCipher cipher, final long firstRecordNumber)
    {
        this.version = version;
        this.cipher = cipher;
        this.prefixLength = RecordProtection.HEADER_LENGTH + cipher.explicitNonceLength(version);
        this.maxBodyLength = RecordProtection.maxRecordBodyLength(version, cipher);
        this.prefix = new byte[prefixLength];
        this.recordNumber = firstRecordNumber;
    }

    /** @return the kind of run at the current offset. */
    int run()
    {
        if (recordOffset < prefixLength)
        {
            return PREFIX;
        }
        return recordOffset < prefixLength + textLength ? TEXT : TAG;
    }

    /** @return bytes left in the current run. */
    int runRemaining()
    {
        if (recordOffset < prefixLength)
        {
            return prefixLength - recordOffset;
        }
        final int textEnd = prefixLength + textLength;
        return recordOffset < textEnd ? textEnd - recordOffset : textEnd + TlsCipher.TAG_LENGTH - recordOffset;
    }

    /** @return offset inside the text (TEXT run) or the tag (TAG run). */
    int offsetInRun()
    {
        return recordOffset < prefixLength + textLength ? recordOffset - prefixLength
            : recordOffset - prefixLength - textLength;
    }

    /** @return whether the current record's length is known. */
    boolean lengthKnown()
    {
        return textLength >= 0;
    }

    /** @return bytes from the current offset to the end of the record, or -1 when the length is unknown. */
    long bytesToRecordEnd()
    {
        return textLength < 0 ? -1 : prefixLength + textLength + TlsCipher.TAG_LENGTH - recordOffset;
    }

    /**
     * Validates the completed prefix as a record header of this flow.
     *
     * @return the text length, or -1 when the header is not one this flow can carry (wrong version field,
     *     impossible length, content type out of range, TLS 1.3 outer type other than 23).
     */
    int parseHeader()
    {
        final int type = prefix[0] & 0xFF;
        final int legacyVersion = ((prefix[1] & 0xFF) << 8) | (prefix[2] & 0xFF);
        final int bodyLength = ((prefix[3] & 0xFF) << 8) | (prefix[4] & 0xFF);
        final int explicit = prefixLength - RecordProtection.HEADER_LENGTH;
        final boolean typeOk = version == TlsVersion.TLS_1_3 ? type == 23 : type >= 20 && type <= 23;
        if (!typeOk || legacyVersion != 0x0303 || bodyLength > maxBodyLength
            || bodyLength < explicit + TlsCipher.TAG_LENGTH + (version == TlsVersion.TLS_1_3 ? 1 : 0))
        {
            return -1;
        }
        return bodyLength - explicit - TlsCipher.TAG_LENGTH;
    }

    /** @return total length of the current record (prefix + text + tag), or 0 while unknown. */
    int recordLength()
    {
        return textLength < 0 ? 0 : prefixLength + textLength + TlsCipher.TAG_LENGTH;
    }

    /**
     * Places the cursor inside a record whose total length is known (restoring an evicted state).
     *
     * @param offset offset inside the record, at or after the prefix.
     * @param length total record length.
     */
    void placeInside(final int offset, final int length)
    {
        recordOffset = offset;
        textLength = length - prefixLength - TlsCipher.TAG_LENGTH;
    }

    /** Moves to the start of the next record. */
    void nextRecord()
    {
        recordOffset = 0;
        textLength = -1;
        recordNumber++;
    }

    /**
     * Restarts at a record header whose number is known (install, resync).
     *
     * @param number record number of the record starting at the cursor.
     */
    void restartAt(final long number)
    {
        recordOffset = 0;
        textLength = -1;
        recordNumber = number;
    }
}
