package io.tlsnic.stack.tcp;

import java.util.function.Supplier;

/**
 * Settings of one connection, fixed at construction. Defaults follow Linux where RFCs leave a choice: 200 ms
 * minimum RTO, 40 ms delayed-ACK timer, initial window of 10 segments (RFC 6928), SACK, timestamps and window
 * scaling offered, Nagle off (kTLS pushes whole records). TIME_WAIT lasts Linux's 60 s (TCP_TIMEWAIT_LEN) of virtual time, which costs
 * nothing; shortening it lets a late retransmitted FIN meet a closed port and a RST under heavy loss.
 */
public final class TcpConfig
{
    private static final long MS = 1_000_000L;

    private final int mss;
    private final int sendBufferCapacity;
    private final int receiveBufferCapacity;
    private final boolean windowScaling;
    private final boolean sack;
    private final boolean timestamps;
    private final long minRtoNs;
    private final long initialRtoNs;
    private final long maxRtoNs;
    private final long delayedAckNs;
    private final boolean tso;
    private final boolean nagle;
    private final int tsoMaxBytes;
    private final long timeWaitNs;
    private final int initialWindowSegments;
    private final int maxRetransmissions;
    private final Supplier<CongestionControl> congestionControl;

    private TcpConfig(final Builder b)
    {
        mss = b.mss;
        sendBufferCapacity = b.sendBufferCapacity;
        receiveBufferCapacity = b.receiveBufferCapacity;
        windowScaling = b.windowScaling;
        sack = b.sack;
        timestamps = b.timestamps;
        minRtoNs = b.minRtoNs;
        initialRtoNs = b.initialRtoNs;
        maxRtoNs = b.maxRtoNs;
        delayedAckNs = b.delayedAckNs;
        tso = b.tso;
        nagle = b.nagle;
        tsoMaxBytes = b.tsoMaxBytes;
        timeWaitNs = b.timeWaitNs;
        initialWindowSegments = b.initialWindowSegments;
        maxRetransmissions = b.maxRetransmissions;
        congestionControl = b.congestionControl;
    }

    /** @return the defaults. */
    public static TcpConfig defaults()
    {
        return builder().build();
    }

    /** @return a builder holding the defaults. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return MSS announced in the SYN and the largest payload this side sends (before options). */
    public int mss()
    {
        return mss;
    }

    public int sendBufferCapacity()
    {
        return sendBufferCapacity;
    }

    /** @return receive buffer in bytes: the most the receive window ever offers. */
    public int receiveBufferCapacity()
    {
        return receiveBufferCapacity;
    }

    public boolean windowScaling()
    {
        return windowScaling;
    }

    public boolean sack()
    {
        return sack;
    }

    public boolean timestamps()
    {
        return timestamps;
    }

    public long minRtoNs()
    {
        return minRtoNs;
    }

    public long initialRtoNs()
    {
        return initialRtoNs;
    }

    public long maxRtoNs()
    {
        return maxRtoNs;
    }

    public long delayedAckNs()
    {
        return delayedAckNs;
    }

    /** @return whether Nagle's algorithm holds back a runt while data is unacknowledged (RFC 9293 3.7.4). */
    public boolean nagle()
    {
        return nagle;
    }

    /** @return whether the connection hands the device TSO super-segments. */
    public boolean tso()
    {
        return tso;
    }

    /** @return the largest TSO super-segment payload. */
    public int tsoMaxBytes()
    {
        return tsoMaxBytes;
    }

    public long timeWaitNs()
    {
        return timeWaitNs;
    }

    public int initialWindowSegments()
    {
        return initialWindowSegments;
    }

    /** @return consecutive timeouts after which the connection gives up (Linux tcp_retries2). */
    public int maxRetransmissions()
    {
        return maxRetransmissions;
    }

    /** @return a fresh congestion control for a new connection. */
    public CongestionControl newCongestionControl()
    {
        return congestionControl.get();
    }

    /** The window scale this side offers: the smallest shift that lets the 16-bit field cover the buffer. */
    int receiveWindowScale()
    {
        if (!windowScaling)
        {
            return -1;
        }
        int shift = 0;
        while (shift < 14 && (receiveBufferCapacity >> shift) > 0xFFFF)
        {
            shift++;
        }
        return shift;
    }

    /** Builds a {@link TcpConfig}; every setter checks its value. */
    public static final class Builder
    {
        private int mss = 1460;
        private int sendBufferCapacity = 256 * 1024;
        private int receiveBufferCapacity = 256 * 1024;
        private boolean windowScaling = true;
        private boolean sack = true;
        private boolean timestamps = true;
        private long minRtoNs = 200 * MS;
        private long initialRtoNs = 1000 * MS;
        private long maxRtoNs = 120_000 * MS;
        private long delayedAckNs = 40 * MS;
        private boolean tso;
        private boolean nagle;
        private int tsoMaxBytes = 65_536 - 1 - 20 - 60;
        private long timeWaitNs = 60_000 * MS;
        private int initialWindowSegments = 10;
        private int maxRetransmissions = 15;
        private Supplier<CongestionControl> congestionControl = NewReno::new;

        private Builder()
        {
        }

        public Builder mss(final int value)
        {
            mss = positive("mss", value);
            return this;
        }

        public Builder sendBufferCapacity(final int value)
        {
            sendBufferCapacity = positive("send buffer capacity", value);
            return this;
        }

        public Builder receiveBufferCapacity(final int value)
        {
            receiveBufferCapacity = positive("receive buffer capacity", value);
            return this;
        }

        public Builder windowScaling(final boolean value)
        {
            windowScaling = value;
            return this;
        }

        public Builder sack(final boolean value)
        {
            sack = value;
            return this;
        }

        public Builder timestamps(final boolean value)
        {
            timestamps = value;
            return this;
        }

        public Builder minRtoNs(final long value)
        {
            minRtoNs = positive("min RTO ns", value);
            return this;
        }

        public Builder initialRtoNs(final long value)
        {
            initialRtoNs = positive("initial RTO ns", value);
            return this;
        }

        public Builder maxRtoNs(final long value)
        {
            maxRtoNs = positive("max RTO ns", value);
            return this;
        }

        public Builder delayedAckNs(final long value)
        {
            delayedAckNs = positive("delayed ACK ns", value);
            return this;
        }

        public Builder nagle(final boolean value)
        {
            nagle = value;
            return this;
        }

        public Builder tso(final boolean value)
        {
            tso = value;
            return this;
        }

        public Builder tsoMaxBytes(final int value)
        {
            tsoMaxBytes = positive("TSO max bytes", value);
            return this;
        }

        public Builder timeWaitNs(final long value)
        {
            timeWaitNs = positive("TIME_WAIT ns", value);
            return this;
        }

        public Builder initialWindowSegments(final int value)
        {
            initialWindowSegments = positive("initial window segments", value);
            return this;
        }

        public Builder maxRetransmissions(final int value)
        {
            maxRetransmissions = positive("max retransmissions", value);
            return this;
        }

        public Builder congestionControl(final Supplier<CongestionControl> value)
        {
            congestionControl = value;
            return this;
        }

        public TcpConfig build()
        {
            if (minRtoNs > maxRtoNs)
            {
                throw new IllegalArgumentException("min RTO " + minRtoNs + " ns exceeds max RTO " + maxRtoNs + " ns");
            }
            return new TcpConfig(this);
        }

        private static int positive(final String what, final int value)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(what + " " + value + " must be positive");
            }
            return value;
        }

        private static long positive(final String what, final long value)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(what + " " + value + " must be positive");
            }
            return value;
        }
    }
}
