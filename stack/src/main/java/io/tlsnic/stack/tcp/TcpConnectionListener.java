package io.tlsnic.stack.tcp;

/**
 * Upcalls from a {@link TcpConnection} to the layer above (kTLS, or a test application). They run after the
 * connection has finished handling the event that caused them, so the listener may call back into the
 * connection ({@code send}, {@code read}, {@code close}).
 */
public interface TcpConnectionListener
{
    /** The handshake completed. */
    default void onEstablished(final TcpConnection connection)
    {
    }

    /** In-order data was added to the receive queue, or the peer's FIN arrived (end of stream). */
    default void onReadable(final TcpConnection connection)
    {
    }

    /**
     * The peer acknowledged more data: SND.UNA moved. The TLS offload layer frees its TX records ending at or
     * before {@code sndUna}.
     *
     * @param sndUna the new SND.UNA, sequence number of the oldest unacknowledged byte.
     */
    default void onAcked(final TcpConnection connection, final int sndUna)
    {
    }

    /** Space opened in the send buffer after a {@code send} accepted fewer bytes than offered. */
    default void onWritable(final TcpConnection connection)
    {
    }

    /** The connection reached CLOSED; {@code reset} when by a RST or by giving up after timeouts. */
    default void onClosed(final TcpConnection connection, final boolean reset)
    {
    }
}
