package io.tlsnic.stack.tcp;

import java.util.Arrays;

/**
 * One TCP segment as a value: the header fields of RFC 9293 section 3.1 that the model uses, the options it
 * negotiates, a reference to the payload bytes, and two emulator fields that no header carries: {@link #tsoMss()}
 * and {@link #mark()}. Addresses belong to the IP layer; the segment carries only the ports.
 *
 * <p>The payload is a slice {@code (payload, payloadOffset, payloadLength)} of an array that nobody writes after
 * the segment is built. Serialising to bytes is the job of the {@code io.tlsnic.wire.frame} flyweights.
 *
 * <p>{@link #window()} is the 16-bit field as sent: the sender's window shifted right by its window scale, except
 * in SYN segments, whose window is never scaled (RFC 7323 section 2.2).
 */
public final class TcpSegment
{
    /** FIN flag bit, as in the header. */
    public static final int FIN = 0x01;
    /** SYN flag bit. */
    public static final int SYN = 0x02;
    /** RST flag bit. */
    public static final int RST = 0x04;
    /** PSH flag bit. */
    public static final int PSH = 0x08;
    /** ACK flag bit. */
    public static final int ACK = 0x10;

    /** {@link #mark()}: the device did nothing to the packet. */
    public static final int MARK_NONE = 0;
    /** {@link #mark()}: the device decrypted every record part in the packet. */
    public static final int MARK_DECRYPTED = 1;
    /** {@link #mark()}: the device found an authentication failure; the packet is unmodified. */
    public static final int MARK_DECRYPT_FAILED = 2;

    /** At most 4 SACK blocks fit in the 40 option bytes, 3 with timestamps (RFC 2018 section 3). */
    public static final int MAX_SACK_BLOCKS = 4;

    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_BLOCKS = new int[0];

    private final int srcPort;
    private final int dstPort;
    private final int seq;
    private final int ack;
    private final int flags;
    private final int window;
    private final int mss;
    private final int windowScale;
    private final boolean sackPermitted;
    private final int[] sackBlocks;
    private final boolean hasTimestamps;
    private final int tsVal;
    private final int tsEcr;
    private final byte[] payload;
    private final int payloadOffset;
    private final int payloadLength;
    private final int tsoMss;
    private final int mark;

    private TcpSegment(final Builder b)
    {
        if (b.payloadOffset < 0 || b.payloadLength < 0 || b.payloadOffset + b.payloadLength > b.payload.length)
        {
            throw new IllegalArgumentException("payload slice offset " + b.payloadOffset + " length " +
                b.payloadLength + " outside array of " + b.payload.length);
        }
        if (b.sackBlocks.length % 2 != 0 || b.sackBlocks.length > 2 * MAX_SACK_BLOCKS)
        {
            throw new IllegalArgumentException("sack blocks must be 0 to 4 (start, end) pairs, got " +
                b.sackBlocks.length + " ints");
        }
        srcPort = b.srcPort;
        dstPort = b.dstPort;
        seq = b.seq;
        ack = b.ack;
        flags = b.flags;
        window = b.window;
        mss = b.mss;
        windowScale = b.windowScale;
        sackPermitted = b.sackPermitted;
        sackBlocks = b.sackBlocks;
        hasTimestamps = b.hasTimestamps;
        tsVal = b.tsVal;
        tsEcr = b.tsEcr;
        payload = b.payload;
        payloadOffset = b.payloadOffset;
        payloadLength = b.payloadLength;
        tsoMss = b.tsoMss;
        mark = b.mark;
    }

    /** @return a builder with every field unset: no flags, no options, no payload. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return a builder holding this segment's fields, to derive a changed copy (the payload array is shared). */
    public Builder toBuilder()
    {
        final Builder b = new Builder();
        b.srcPort = srcPort;
        b.dstPort = dstPort;
        b.seq = seq;
        b.ack = ack;
        b.flags = flags;
        b.window = window;
        b.mss = mss;
        b.windowScale = windowScale;
        b.sackPermitted = sackPermitted;
        b.sackBlocks = sackBlocks;
        b.hasTimestamps = hasTimestamps;
        b.tsVal = tsVal;
        b.tsEcr = tsEcr;
        b.payload = payload;
        b.payloadOffset = payloadOffset;
        b.payloadLength = payloadLength;
        b.tsoMss = tsoMss;
        b.mark = mark;
        return b;
    }

    public int srcPort()
    {
        return srcPort;
    }

    public int dstPort()
    {
        return dstPort;
    }

    /** @return sequence number of the first octet (of the SYN when set). */
    public int seq()
    {
        return seq;
    }

    /** @return acknowledgment number; meaningful only with {@link #ACK}. */
    public int ack()
    {
        return ack;
    }

    /** @return the flag bits, {@link #FIN} | {@link #SYN} | ... */
    public int flags()
    {
        return flags;
    }

    /** @return whether every bit of {@code flag} is set. */
    public boolean has(final int flag)
    {
        return (flags & flag) == flag;
    }

    /** @return the 16-bit window field as sent (unscaled). */
    public int window()
    {
        return window;
    }

    /** @return the MSS option value, 0 when absent (SYN only). */
    public int mss()
    {
        return mss;
    }

    /** @return the window scale option (shift count 0..14), -1 when absent (SYN only). */
    public int windowScale()
    {
        return windowScale;
    }

    /** @return whether the SACK-permitted option is present (SYN only). */
    public boolean sackPermitted()
    {
        return sackPermitted;
    }

    /** @return number of SACK blocks. */
    public int sackBlockCount()
    {
        return sackBlocks.length / 2;
    }

    /** @return left edge of SACK block {@code i} (0 is the most recent, RFC 2018 section 4). */
    public int sackStart(final int i)
    {
        return sackBlocks[2 * i];
    }

    /** @return right edge (exclusive) of SACK block {@code i}. */
    public int sackEnd(final int i)
    {
        return sackBlocks[2 * i + 1];
    }

    /** @return whether the timestamps option is present. */
    public boolean hasTimestamps()
    {
        return hasTimestamps;
    }

    public int tsVal()
    {
        return tsVal;
    }

    public int tsEcr()
    {
        return tsEcr;
    }

    /** @return the array holding the payload; read only {@link #payloadLength()} bytes from {@link #payloadOffset()}. */
    public byte[] payload()
    {
        return payload;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    /** @return the payload as a fresh array. */
    public byte[] payloadCopy()
    {
        return Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength);
    }

    /**
     * @return 0 for an ordinary segment; for a TSO super-segment, the payload size of each frame the device must
     *     cut it into (ARCHITECTURE "TSO hand-off").
     */
    public int tsoMss()
    {
        return tsoMss;
    }

    /** @return the device's receive mark: {@link #MARK_NONE}, {@link #MARK_DECRYPTED}, {@link #MARK_DECRYPT_FAILED}. */
    public int mark()
    {
        return mark;
    }

    /** @return sequence space the segment occupies: payload plus one for SYN and one for FIN. */
    public int seqLength()
    {
        return payloadLength + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }

    /** @return the sequence number just after the segment. */
    public int endSeq()
    {
        return Seq.add(seq, seqLength());
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(96);
        sb.append(srcPort).append('>').append(dstPort).append(" [");
        if (has(SYN))
        {
            sb.append('S');
        }
        if (has(FIN))
        {
            sb.append('F');
        }
        if (has(RST))
        {
            sb.append('R');
        }
        if (has(PSH))
        {
            sb.append('P');
        }
        if (has(ACK))
        {
            sb.append('.');
        }
        sb.append("] seq ").append(Seq.toUnsigned(seq));
        if (payloadLength > 0)
        {
            sb.append(':').append(Seq.toUnsigned(Seq.add(seq, payloadLength)));
        }
        if (has(ACK))
        {
            sb.append(" ack ").append(Seq.toUnsigned(ack));
        }
        sb.append(" win ").append(window).append(" len ").append(payloadLength);
        if (mss != 0)
        {
            sb.append(" mss ").append(mss);
        }
        if (windowScale >= 0)
        {
            sb.append(" wscale ").append(windowScale);
        }
        if (sackPermitted)
        {
            sb.append(" sackOK");
        }
        for (int i = 0; i < sackBlockCount(); i++)
        {
            sb.append(i == 0 ? " sack " : ",").append(Seq.toUnsigned(sackStart(i))).append('-')
                .append(Seq.toUnsigned(sackEnd(i)));
        }
        if (hasTimestamps)
        {
            sb.append(" TS ").append(Integer.toUnsignedString(tsVal)).append('/').append(Integer.toUnsignedString(tsEcr));
        }
        if (tsoMss != 0)
        {
            sb.append(" tso ").append(tsoMss);
        }
        if (mark != MARK_NONE)
        {
            sb.append(" mark ").append(mark);
        }
        return sb.toString();
    }

    /** Assembles a {@link TcpSegment}; the payload array must not be written after {@link #build()}. */
    public static final class Builder
    {
        private int srcPort;
        private int dstPort;
        private int seq;
        private int ack;
        private int flags;
        private int window;
        private int mss;
        private int windowScale = -1;
        private boolean sackPermitted;
        private int[] sackBlocks = NO_BLOCKS;
        private boolean hasTimestamps;
        private int tsVal;
        private int tsEcr;
        private byte[] payload = NO_BYTES;
        private int payloadOffset;
        private int payloadLength;
        private int tsoMss;
        private int mark;

        private Builder()
        {
        }

        public Builder ports(final int src, final int dst)
        {
            srcPort = src;
            dstPort = dst;
            return this;
        }

        public Builder seq(final int value)
        {
            seq = value;
            return this;
        }

        public Builder ack(final int value)
        {
            ack = value;
            return this;
        }

        public Builder flags(final int value)
        {
            flags = value;
            return this;
        }

        public Builder window(final int value)
        {
            if (value < 0 || value > 0xFFFF)
            {
                throw new IllegalArgumentException("window field " + value + " outside 0..65535");
            }
            window = value;
            return this;
        }

        public Builder mss(final int value)
        {
            mss = value;
            return this;
        }

        public Builder windowScale(final int value)
        {
            windowScale = value;
            return this;
        }

        public Builder sackPermitted(final boolean value)
        {
            sackPermitted = value;
            return this;
        }

        /** @param startEndPairs (start, end) pairs, most recent block first; the array is kept, not copied. */
        public Builder sackBlocks(final int[] startEndPairs)
        {
            sackBlocks = startEndPairs;
            return this;
        }

        public Builder timestamps(final int val, final int ecr)
        {
            hasTimestamps = true;
            tsVal = val;
            tsEcr = ecr;
            return this;
        }

        public Builder noTimestamps()
        {
            hasTimestamps = false;
            tsVal = 0;
            tsEcr = 0;
            return this;
        }

        public Builder payload(final byte[] array, final int offset, final int length)
        {
            payload = array;
            payloadOffset = offset;
            payloadLength = length;
            return this;
        }

        public Builder tsoMss(final int value)
        {
            tsoMss = value;
            return this;
        }

        public Builder mark(final int value)
        {
            mark = value;
            return this;
        }

        public TcpSegment build()
        {
            return new TcpSegment(this);
        }
    }
}
