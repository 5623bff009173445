package io.tlsnic.stack.tcp;

import java.io.ByteArrayOutputStream;

/**
 * Test helper: an application on one end of a connection. It writes {@code toSend} as fast as the send buffer
 * takes it (optionally closing after the last byte) and reads everything that becomes readable, unless it is a
 * slow reader, which reads at most {@code slowReadBytes} every {@code slowReadIntervalNs} of virtual time.
 */
final class TestEndpoint implements TcpConnectionListener
{
    final TcpConnection connection;
    private final TestWire wire;
    private byte[] toSend = new byte[0];
    private int sent;
    private boolean closeAfterSend;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    boolean established;
    boolean closed;
    boolean closedByReset;
    int slowReadBytes;
    long slowReadIntervalNs;
    private final byte[] readBuffer = new byte[64 * 1024];
    private long readPausedUntilNs;

    TestEndpoint(final TestWire wire, final TcpConnection connection)
    {
        this.wire = wire;
        this.connection = connection;
        connection.setListener(this);
    }

    /** Queues {@code data} to send once established; closes after it when {@code close}. */
    TestEndpoint sending(final byte[] data, final boolean close)
    {
        toSend = data;
        sent = 0;
        closeAfterSend = close;
        pump();
        return this;
    }

    /** Makes this a slow reader. */
    TestEndpoint slowReader(final int bytes, final long intervalNs)
    {
        slowReadBytes = bytes;
        slowReadIntervalNs = intervalNs;
        wire.scheduler.schedule(intervalNs, this::slowRead);
        return this;
    }

    /** Reads nothing until virtual time {@code untilNs}, then everything readable. */
    TestEndpoint pauseReadingUntil(final long untilNs)
    {
        readPausedUntilNs = untilNs;
        wire.scheduler.schedule(untilNs - wire.nowNs(), () -> onReadable(connection));
        return this;
    }

    int receivedLength()
    {
        return received.size();
    }

    @Override
    public void onEstablished(final TcpConnection c)
    {
        established = true;
        pump();
    }

    @Override
    public void onAcked(final TcpConnection c, final int sndUna)
    {
        pump();
    }

    @Override
    public void onWritable(final TcpConnection c)
    {
        pump();
    }

    @Override
    public void onReadable(final TcpConnection c)
    {
        if (slowReadBytes == 0 && wire.nowNs() >= readPausedUntilNs)
        {
            int n;
            while ((n = c.read(readBuffer, 0, readBuffer.length)) > 0)
            {
                received.write(readBuffer, 0, n);
            }
        }
    }

    @Override
    public void onClosed(final TcpConnection c, final boolean reset)
    {
        closed = true;
        closedByReset = reset;
    }

    private void slowRead()
    {
        final int n = connection.read(readBuffer, 0, Math.min(slowReadBytes, readBuffer.length));
        received.write(readBuffer, 0, n);
        if (connection.state() != TcpState.CLOSED)
        {
            wire.scheduler.schedule(slowReadIntervalNs, this::slowRead);
        }
    }

    private void pump()
    {
        final TcpState s = connection.state();
        if (s != TcpState.ESTABLISHED && s != TcpState.CLOSE_WAIT)
        {
            return;
        }
        while (sent < toSend.length)
        {
            final int n = connection.send(toSend, sent, toSend.length - sent);
            if (n == 0)
            {
                return;
            }
            sent += n;
        }
        if (closeAfterSend)
        {
            closeAfterSend = false;
            connection.close();
        }
    }
}
