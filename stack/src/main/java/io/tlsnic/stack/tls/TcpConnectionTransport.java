package io.tlsnic.stack.tls;

import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpConnectionListener;
import io.tlsnic.stack.tcp.TcpState;

/**
 * The TCP model's connection as the kTLS layer's transport: byte stream, chunk marks, ACK and space events.
 * Takes the connection's listener slot; events the TLS layer does not use (established, closed) are passed to
 * an optional listener of the application's.
 */
public final class TcpConnectionTransport implements TcpTransport
{
    private final TcpConnection connection;
    private final DeviceBinding binding;
    private Listener listener;
    private TcpConnectionListener application;

    /** @param connection the connection to carry TLS records, with no offload device. */
    public TcpConnectionTransport(final TcpConnection connection)
    {
        this(connection, null);
    }

    /**
     * @param connection the connection to carry TLS records.
     * @param binding its device's TLS offload, or null.
     */
    public TcpConnectionTransport(final TcpConnection connection, final DeviceBinding binding)
    {
        this.connection = connection;
        this.binding = binding;
        connection.setListener(new TcpConnectionListener()
        {
            @Override
            public void onEstablished(final TcpConnection c)
            {
                if (application != null)
                {
                    application.onEstablished(c);
                }
            }

            @Override
            public void onReadable(final TcpConnection c)
            {
                if (listener != null)
                {
                    listener.onReadable();
                }
                if (application != null)
                {
                    application.onReadable(c);
                }
            }

            @Override
            public void onAcked(final TcpConnection c, final int sndUna)
            {
                if (listener != null)
                {
                    listener.onAckAdvanced(sndUna & 0xFFFF_FFFFL);
                }
            }

            @Override
            public void onWritable(final TcpConnection c)
            {
                if (listener != null)
                {
                    listener.onWritable();
                }
                if (application != null)
                {
                    application.onWritable(c);
                }
            }

            @Override
            public void onClosed(final TcpConnection c, final boolean reset)
            {
                if (application != null)
                {
                    application.onClosed(c, reset);
                }
            }
        });
    }

    /** @return the underlying connection. */
    public TcpConnection connection()
    {
        return connection;
    }

    /** @param applicationListener also told of readable, writable, established and closed events. */
    public void setApplicationListener(final TcpConnectionListener applicationListener)
    {
        this.application = applicationListener;
    }

    @Override
    public boolean isEstablished()
    {
        return connection.state() == TcpState.ESTABLISHED;
    }

    @Override
    public int send(final byte[] b, final int off, final int len)
    {
        return connection.send(b, off, len);
    }

    @Override
    public int sendInPlaceIndex(final int len)
    {
        return connection.sendInPlaceIndex(len);
    }

    @Override
    public byte[] sendBufferArray()
    {
        return connection.sendBufferArray();
    }

    @Override
    public void sendInPlace(final int len)
    {
        connection.sendInPlace(len);
    }

    @Override
    public void setSendBufferPin(final java.util.function.LongUnaryOperator pin)
    {
        connection.setSendBufferPin(pin == null ? null : ack -> (int)pin.applyAsLong(ack & 0xFFFF_FFFFL));
    }

    @Override
    public int sendSpace()
    {
        return Math.max(0, connection.sendBufferFree());
    }

    @Override
    public long writeSeq()
    {
        return connection.writeSeq() & 0xFFFF_FFFFL;
    }

    @Override
    public int readableBytes()
    {
        return connection.readableBytes();
    }

    @Override
    public void forEachReadableChunk(final ChunkVisitor visitor)
    {
        connection.forEachReadableChunk((seq, data, offset, length, mark) ->
            visitor.onChunk(seq & 0xFFFF_FFFFL, data, offset, length, mark));
    }

    @Override
    public void consume(final int n)
    {
        connection.consume(n);
    }

    @Override
    public boolean finReceived()
    {
        return connection.peerFinReceived();
    }

    @Override
    public void shutdownOutput()
    {
        connection.close();
    }

    @Override
    public void close()
    {
        connection.close();
    }

    @Override
    public DeviceBinding deviceBinding()
    {
        return binding;
    }

    @Override
    public long readSeq()
    {
        return connection.readSeq() & 0xFFFF_FFFFL;
    }

    @Override
    public void setTxOffload(final io.tlsnic.stack.dev.TlsTxOffload offload)
    {
        connection.setUlpData(offload);
    }

    @Override
    public void setListener(final Listener l)
    {
        this.listener = l;
    }
}
