package io.tlsnic.harness.inspect;

import java.util.ArrayList;
import java.util.List;

import io.tlsnic.harness.replay.RecordFramer;
import io.tlsnic.harness.replay.TcpReassembler;
import io.tlsnic.wire.tls.TlsRecordHeader;

/**
 * Sits between a direction's reassembler and replay's {@link RecordFramer}: passes the stream on, notes the ranges no
 * segment carried, and keeps each record the framer finds, with no body bytes.
 * <p>
 * A record is taken as AEAD-protected (its last 16 bytes a tag, as with AES-GCM and ChaCha20-Poly1305) when it is
 * application data, or an alert or handshake record after this direction's ChangeCipherSpec (TLS 1.2 Finished and
 * alerts) that is not shaped like a plaintext ClientHello (a TLS 1.3 client's second ClientHello follows its
 * compatibility ChangeCipherSpec). Bodies shorter than a tag are never protected.
 */
final class RecordLog implements TcpReassembler.StreamSink, RecordFramer.RecordSink
{
    private static final int TAG_LENGTH = 16;
    private static final int CLIENT_HELLO = 1;
    private static final int HANDSHAKE_HEADER_LENGTH = 4;

    private final RecordFramer framer = new RecordFramer(this);
    private final List<FramedRecord> records = new ArrayList<>();
    private boolean changeCipherSpecSeen;
    private boolean startsWithClientHello;
    private long notTlsOffset = -1;
    private long missingRanges;
    private long missingLength;

    @Override
    public void onData(final long streamOffset, final byte[] data, final int offset, final int length)
    {
        framer.onData(streamOffset, data, offset, length);
    }

    @Override
    public void onGap(final long streamOffset, final long length)
    {
        missingRanges++;
        missingLength += length;
        framer.onGap(streamOffset, length);
    }

    /** The stream has ended: a record left partial is incomplete. */
    public void finish()
    {
        framer.finish();
    }

    @Override
    public void onRecord(final long streamOffset, final byte[] record, final boolean afterLostChain)
    {
        final int contentType = record[0] & 0xFF;
        if (records.isEmpty() && contentType == TlsRecordHeader.CONTENT_TYPE_HANDSHAKE
            && record.length > TlsRecordHeader.HEADER_LENGTH)
        {
            startsWithClientHello = record[TlsRecordHeader.HEADER_LENGTH] == CLIENT_HELLO;
        }
        records.add(new FramedRecord(streamOffset, record.length, contentType, true, isProtected(contentType, record)));
        if (contentType == TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC)
        {
            changeCipherSpecSeen = true;
        }
    }

    @Override
    public void onIncomplete(final long streamOffset, final int recordLength, final String reason)
    {
        records.add(new FramedRecord(streamOffset, recordLength, -1, false, false));
    }

    @Override
    public void onNotTls(final long streamOffset)
    {
        notTlsOffset = streamOffset;
    }

    /** @return records in stream order, complete and incomplete. */
    public List<FramedRecord> records()
    {
        return records;
    }

    /** @return whether the stream's first record is a handshake record that begins with a ClientHello. */
    public boolean startsWithClientHello()
    {
        return startsWithClientHello;
    }

    /** @return whether the stream carries TLS: a record header was followed before anything else was found. */
    public boolean isTls()
    {
        return notTlsOffset != 0 && records.stream().anyMatch(record -> record.length() >= 0);
    }

    /** @return stream offset where the bytes stop being TLS records, or -1 when they never do. */
    public long notTlsOffset()
    {
        return notTlsOffset;
    }

    /** @return ranges of the stream no segment carried. */
    public long missingRanges()
    {
        return missingRanges;
    }

    /** @return bytes in them. */
    public long missingLength()
    {
        return missingLength;
    }

    private boolean isProtected(final int contentType, final byte[] record)
    {
        final int bodyLength = record.length - TlsRecordHeader.HEADER_LENGTH;
        if (bodyLength < TAG_LENGTH)
        {
            return false;
        }
        switch (contentType)
        {
            case TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA:
                return true;
            case TlsRecordHeader.CONTENT_TYPE_ALERT:
                return changeCipherSpecSeen;
            case TlsRecordHeader.CONTENT_TYPE_HANDSHAKE:
                return changeCipherSpecSeen && !isClientHello(record);
            default:
                return false;
        }
    }

    private static boolean isClientHello(final byte[] record)
    {
        final int body = TlsRecordHeader.HEADER_LENGTH;
        final int messageLength = ((record[body + 1] & 0xFF) << 16) | ((record[body + 2] & 0xFF) << 8)
            | (record[body + 3] & 0xFF);
        return record[body] == CLIENT_HELLO && messageLength == record.length - body - HANDSHAKE_HEADER_LENGTH;
    }
}
