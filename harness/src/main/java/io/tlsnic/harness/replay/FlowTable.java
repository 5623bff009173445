package io.tlsnic.harness.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups TCP segments into connections by 4-tuple, both directions together, numbered in order of first appearance
 * from 1. Each connection keeps one {@link DirectionStream} per sender.
 */
public final class FlowTable
{
    /** One TCP connection: its number and its two directions, the first sender's first. */
    public static final class Connection
    {
        private final int id;
        private final long firstFrame;
        private final DirectionStream first;
        private final DirectionStream second;

        Connection(final int id, final long firstFrame, final Endpoint source, final Endpoint destination)
        {
            this.id = id;
            this.firstFrame = firstFrame;
            this.first = new DirectionStream(source, destination);
            this.second = new DirectionStream(destination, source);
        }

        /** @return connection number, 1-based. */
        public int id()
        {
            return id;
        }

        /** @return the packet that opened the connection in the capture. */
        public long firstFrame()
        {
            return firstFrame;
        }

        /** @return the direction of the first packet's sender. */
        public DirectionStream first()
        {
            return first;
        }

        /** @return the other direction. */
        public DirectionStream second()
        {
            return second;
        }

        /**
         * @param source a sender of this connection.
         * @return its direction.
         */
        public DirectionStream direction(final Endpoint source)
        {
            return first.source().equals(source) ? first : second;
        }

        @Override
        public String toString()
        {
            return "flow " + id + " (" + first.source() + " <-> " + first.destination() + ")";
        }
    }

    private record Key(Endpoint low, Endpoint high)
    {
        static Key of(final Endpoint a, final Endpoint b)
        {
            final boolean aFirst = a.addressHigh() != b.addressHigh() ? a.addressHigh() < b.addressHigh()
                : a.addressLow() != b.addressLow() ? a.addressLow() < b.addressLow() : a.port() <= b.port();
            return aFirst ? new Key(a, b) : new Key(b, a);
        }
    }

    private final Map<Key, Connection> connections = new HashMap<>();
    private final List<Connection> inOrder = new ArrayList<>();

    /**
     * @param segment a segment, in capture order.
     * @return its connection (created on first sight), after the segment was added to its direction.
     */
    public Connection add(final TcpSegment segment)
    {
        final Connection connection = connections.computeIfAbsent(Key.of(segment.source(), segment.destination()),
            key ->
            {
                final Connection created = new Connection(
                    inOrder.size() + 1, segment.frameNumber(), segment.source(), segment.destination());
                inOrder.add(created);
                return created;
            });
        connection.direction(segment.source()).accept(segment);
        return connection;
    }

    /** @return connections in order of first appearance. */
    public List<Connection> connections()
    {
        return inOrder;
    }
}
