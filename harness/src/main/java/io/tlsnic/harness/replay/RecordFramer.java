package io.tlsnic.harness.replay;

import java.util.Arrays;

import io.tlsnic.wire.tls.TlsRecordHeader;

/**
 * Frames TLS records from one direction's reassembled stream, following the chain of record lengths (the way
 * {@code tls_strp} and netty's {@code SslHandler} do). A gap breaks the chain only when it hides a record header:
 * a gap inside a record whose header was seen makes that record incomplete and framing resumes at its end; a gap
 * that swallows a header makes the records it touches incomplete and framing resumes at the first position where
 * a plausible header is followed by another plausible header (or by the end of the stream), and the record found
 * there is flagged so that its consumer knows the record numbers in between are unknown.
 */
public final class RecordFramer implements TcpReassembler.StreamSink
{
    /** What the framer finds. */
    public interface RecordSink
    {
        /**
         * @param streamOffset stream offset of the record header.
         * @param record       header and body, a fresh array the sink may keep.
         * @param afterLostChain whether records of unknown number were lost just before this one.
         */
        void onRecord(long streamOffset, byte[] record, boolean afterLostChain);

        /**
         * A whole record still in the framer's buffer; by default the sink gets a copy through
         * {@link #onRecord(long, byte[], boolean)}.
         *
         * @param streamOffset   stream offset of the record header.
         * @param buffer         holds the record, valid during the call only (do not modify).
         * @param offset         the record's first byte in {@code buffer}.
         * @param length         header and body length.
         * @param afterLostChain whether records of unknown number were lost just before this one.
         */
        default void onRecord(final long streamOffset, final byte[] buffer, final int offset, final int length,
            final boolean afterLostChain)
        {
            onRecord(streamOffset, Arrays.copyOfRange(buffer, offset, offset + length), afterLostChain);
        }

        /**
         * A record that cannot be framed whole because the capture lacks some of its bytes.
         *
         * @param streamOffset stream offset of the record header (or of the first byte after the last whole record).
         * @param recordLength header plus body length when its header was seen, else -1.
         * @param reason       what is missing, e.g. "bytes 4096..5544 missing".
         */
        void onIncomplete(long streamOffset, int recordLength, String reason);

        /**
         * Bytes at a record boundary that are not a TLS record header; the rest of the stream is ignored.
         *
         * @param streamOffset stream offset of the bad header.
         */
        void onNotTls(long streamOffset);
    }

    private enum State
    {
        FOLLOWING, SEARCHING, NOT_TLS
    }

    private static final int NOT_FOUND = -1;
    private static final int NEEDS_MORE = -2;

    private final RecordSink sink;
    private byte[] buffer = new byte[4096];
    private int length;
    private long bufferOffset;
    private long skipTo = -1;
    private State state = State.FOLLOWING;
    private boolean lostChain;
    private int candidate;

    /** @param sink receives records. */
    public RecordFramer(final RecordSink sink)
    {
        this.sink = sink;
    }

    @Override
    public void onData(final long streamOffset, final byte[] data, final int offset, final int count)
    {
        if (state == State.NOT_TLS)
        {
            return;
        }
        int from = offset;
        int remaining = count;
        long at = streamOffset;
        if (skipTo > at)
        {
            final int skip = (int)Math.min(remaining, skipTo - at);
            from += skip;
            remaining -= skip;
            at += skip;
            bufferOffset = at;
            if (remaining == 0)
            {
                return;
            }
        }
        skipTo = -1;
        if (length == 0)
        {
            bufferOffset = at;
        }
        append(data, from, remaining);
        frame(false);
    }

    @Override
    public void onGap(final long streamOffset, final long gapLength)
    {
        final long gapEnd = streamOffset + gapLength;
        final String missing = "bytes " + streamOffset + ".." + gapEnd + " of the stream missing";
        if (state == State.FOLLOWING)
        {
            if (skipTo >= 0)
            {
                if (skipTo < gapEnd)
                {
                    sink.onIncomplete(skipTo, -1, missing);
                    startSearching();
                }
            }
            else if (length >= TlsRecordHeader.HEADER_LENGTH)
            {
                final int recordLength = recordLengthAt(0);
                sink.onIncomplete(bufferOffset, recordLength, missing);
                final long recordEnd = bufferOffset + recordLength;
                if (recordEnd >= gapEnd)
                {
                    skipTo = recordEnd;
                    length = 0;
                }
                else
                {
                    startSearching();
                }
            }
            else
            {
                sink.onIncomplete(length == 0 ? streamOffset : bufferOffset, -1, missing);
                startSearching();
            }
        }
        else
        {
            length = 0;
        }
        bufferOffset = gapEnd;
    }

    /** The stream has ended: a partial record left over is incomplete. */
    public void finish()
    {
        if (state == State.SEARCHING)
        {
            frame(true);
        }
        if (state != State.NOT_TLS && length > 0)
        {
            sink.onIncomplete(bufferOffset, length >= TlsRecordHeader.HEADER_LENGTH ? recordLengthAt(0) : -1,
                "the capture ends after " + length + " of its bytes");
            length = 0;
        }
    }

    private void startSearching()
    {
        state = State.SEARCHING;
        lostChain = true;
        skipTo = -1;
        length = 0;
    }

    private void frame(final boolean atEnd)
    {
        int position = 0;
        while (true)
        {
            if (state == State.SEARCHING)
            {
                final int found = search(position, atEnd);
                if (found == NOT_FOUND)
                {
                    // keep the last 4 bytes: a header may start there
                    position = Math.max(position, length - (TlsRecordHeader.HEADER_LENGTH - 1));
                    break;
                }
                if (found == NEEDS_MORE)
                {
                    position = candidate;
                    break;
                }
                position = found;
                state = State.FOLLOWING;
            }
            final int available = length - position;
            if (available < TlsRecordHeader.HEADER_LENGTH)
            {
                break;
            }
            if (!plausibleAt(position))
            {
                sink.onNotTls(bufferOffset + position);
                state = State.NOT_TLS;
                length = 0;
                return;
            }
            final int recordLength = recordLengthAt(position);
            if (available < recordLength)
            {
                break;
            }
            final boolean afterLostChain = lostChain;
            lostChain = false;
            sink.onRecord(bufferOffset + position, buffer, position, recordLength, afterLostChain);
            position += recordLength;
        }
        compact(position);
    }

    /**
     * @return the position of a confirmed header, {@link #NOT_FOUND}, or {@link #NEEDS_MORE} when the candidate at
     *     {@link #candidate} needs more bytes to be confirmed.
     */
    private int search(final int from, final boolean atEnd)
    {
        for (int p = from; p + TlsRecordHeader.HEADER_LENGTH <= length; p++)
        {
            if (!plausibleAt(p))
            {
                continue;
            }
            final int next = p + recordLengthAt(p);
            if (next + TlsRecordHeader.HEADER_LENGTH <= length)
            {
                if (plausibleAt(next))
                {
                    return p;
                }
            }
            else if (!atEnd)
            {
                candidate = p;
                return NEEDS_MORE;
            }
            else if (next == length)
            {
                return p;
            }
        }
        return NOT_FOUND;
    }

    private boolean plausibleAt(final int position)
    {
        return TlsRecordHeader.isPlausible(buffer[position] & 0xFF,
            ((buffer[position + 1] & 0xFF) << 8) | (buffer[position + 2] & 0xFF),
            ((buffer[position + 3] & 0xFF) << 8) | (buffer[position + 4] & 0xFF));
    }

    private int recordLengthAt(final int position)
    {
        return TlsRecordHeader.HEADER_LENGTH + (((buffer[position + 3] & 0xFF) << 8) | (buffer[position + 4] & 0xFF));
    }

    private void append(final byte[] data, final int offset, final int count)
    {
        if (length + count > buffer.length)
        {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
        }
        System.arraycopy(data, offset, buffer, length, count);
        length += count;
    }

    private void compact(final int consumed)
    {
        if (consumed > 0)
        {
            System.arraycopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            bufferOffset += consumed;
        }
    }
}
