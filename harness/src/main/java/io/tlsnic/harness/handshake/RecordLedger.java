package io.tlsnic.harness.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The raw records one direction of a handshake carried, whole, in order; and the count of those protected under a
 * given traffic key, found by opening them. That count is the record number kTLS continues from, taken from what
 * the library actually sent or read rather than from what it is expected to have done.
 */
final class RecordLedger
{
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int APPLICATION_DATA = 23;

    private final List<byte[]> records = new ArrayList<>();
    private byte[] partial = new byte[0];

    /** Adds one whole record. */
    void addRecord(final byte[] record)
    {
        records.add(record.clone());
    }

    /** Adds stream bytes, framing whole records; a trailing part waits for the rest. */
    void addStream(final byte[] b, final int off, final int len)
    {
        byte[] stream = Arrays.copyOf(partial, partial.length + len);
        System.arraycopy(b, off, stream, partial.length, len);
        int at = 0;
        while (stream.length - at >= RecordProtection.HEADER_LENGTH)
        {
            final int total = RecordProtection.HEADER_LENGTH + bodyLength(stream, at);
            if (stream.length - at < total)
            {
                break;
            }
            records.add(Arrays.copyOfRange(stream, at, at + total));
            at += total;
        }
        partial = Arrays.copyOfRange(stream, at, stream.length);
    }

    /** @return bytes of a record not yet complete. */
    int partialLength()
    {
        return partial.length;
    }

    /** @return copies of the records, in order. */
    List<byte[]> records()
    {
        final List<byte[]> copy = new ArrayList<>(records.size());
        records.forEach(r -> copy.add(r.clone()));
        return copy;
    }

    /**
     * Counts the records protected under {@code keys} (its rec_seq is ignored: a new key starts at record 0).
     * TLS 1.2: every record after the last ChangeCipherSpec must open, in order. TLS 1.3: protected records that
     * do not open come first (handshake keys); from the first that opens, every later one must open.
     *
     * @param direction "sent" or "read", for messages.
     * @return records under the key: the record number of the next one.
     * @throws IllegalStateException when a record under the key does not open, or none can be found for TLS 1.2.
     */
    long countUnderKeys(final CryptoInfo keys, final String direction)
    {
        final RecordCipher cipher = new RecordCipher(keys.version(), keys.cipher(), keys.key(), keys.salt(), keys.iv(), 0);
        int first;
        if (keys.version() == TlsVersion.TLS_1_2)
        {
            first = -1;
            for (int i = 0; i < records.size(); i++)
            {
                if ((records.get(i)[0] & 0xFF) == CHANGE_CIPHER_SPEC)
                {
                    first = i + 1;
                }
            }
            if (first < 0)
            {
                throw new IllegalStateException("no ChangeCipherSpec among the " + records.size() + " records "
                    + direction + " in the TLS 1.2 handshake");
            }
        }
        else
        {
            first = records.size();
            for (int i = 0; i < records.size() && first == records.size(); i++)
            {
                if ((records.get(i)[0] & 0xFF) == APPLICATION_DATA && opens(cipher, 0, records.get(i)))
                {
                    first = i;
                }
            }
        }
        long seq = 0;
        for (int i = first; i < records.size(); i++)
        {
            final byte[] record = records.get(i);
            if (!opens(cipher, seq, record))
            {
                throw new IllegalStateException("record " + i + " " + direction + " (type " + (record[0] & 0xFF)
                    + ", " + record.length + " bytes) does not open as record " + seq + " under the exported "
                    + keys.version() + " " + keys.cipher() + " key");
            }
            seq++;
        }
        return seq;
    }

    private static boolean opens(final RecordCipher cipher, final long seq, final byte[] record)
    {
        try
        {
            cipher.open(seq, record, 0, record.length, new byte[record.length], 0);
            return true;
        }
        catch (final TlsErrnoException e)
        {
            return false;
        }
    }

    static int bodyLength(final byte[] header, final int offset)
    {
        return ((header[offset + 3] & 0xFF) << 8) | (header[offset + 4] & 0xFF);
    }
}
