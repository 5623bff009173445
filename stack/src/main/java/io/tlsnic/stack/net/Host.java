package io.tlsnic.stack.net;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.stack.dev.NetDevice;
import io.tlsnic.stack.dev.RxHandler;
import io.tlsnic.stack.dev.TlsTxOffload;
import io.tlsnic.stack.dev.TxPacket;
import io.tlsnic.stack.tcp.SegmentSink;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpSegment;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;
import io.tlsnic.wire.frame.TcpOptionIterator;
import io.tlsnic.wire.sim.EventScheduler;

/**
 * One host: an address, a device, and the TCP connections on it, demultiplexed by 4-tuple. Outgoing segments
 * become frames for the device (kept in order when the device's queue is full); incoming frames are parsed,
 * checksum-checked when the device does not, and handed to their connection with the device's mark. A SYN for a
 * listening port opens a connection; anything else for no connection is answered with a reset.
 */
public final class Host
{
    /** Maps a connection to the TX offload state its packets carry (null when it has none). */
    @FunctionalInterface
    public interface TxOffloadLookup
    {
        TlsTxOffload offloadFor(TcpConnection connection);
    }

    private final String name;
    private final IpAddress address;
    private final long mac;
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final NetDevice device;
    /** Whether the device computes TCP checksums on transmit (then it also takes headers and payload apart). */
    private final boolean txChecksum;
    private final EventScheduler scheduler;
    private final SplittableRandom random;
    private final Map<IpAddress, Long> neighbours = new HashMap<>();
    private final Map<Key, Endpoint> connections = new HashMap<>();
    /** Merges a poll's in-order segments of a connection before TCP sees them (when the device has polls). */
    private final Gro<Endpoint> gro = new Gro<>((e, s) -> e.connection.onSegment(s));
    private boolean groEnabled;
    /** The connection the last frame went to (connections are never removed from the table). */
    private Key lastKey;
    private Endpoint lastEndpoint;
    private final Map<Integer, Listener> listeners = new HashMap<>();
    private final ArrayDeque<TxPacket> deferred = new ArrayDeque<>();
    private final FrameParser parser = new FrameParser();
    private final TcpOptionIterator options = new TcpOptionIterator();
    private final long[] counters = new long[HostCounter.values().length];
    private int nextEphemeralPort = 49152;
    private TxOffloadLookup txOffload = c -> c.ulpData() instanceof TlsTxOffload t ? t : null;

    private record Key(long remoteHigh, long remoteLow, int remotePort, int localPort)
    {
    }

    private record Listener(TcpConfig config, Consumer<TcpConnection> onAccept)
    {
    }

    private static final class Endpoint
    {
        final TcpConnection connection;
        final SegmentCodec codec;
        final IpAddress remote;

        Endpoint(final TcpConnection connection, final SegmentCodec codec, final IpAddress remote)
        {
            this.connection = connection;
            this.codec = codec;
            this.remote = remote;
        }
    }

    /**
     * @param name host name for logs.
     * @param address this host's address.
     * @param mac this host's MAC (low 48 bits).
     * @param device its network device.
     * @param scheduler the deterministic scheduler all timers run on.
     * @param seed seed for initial sequence numbers.
     */
    public Host(final String name, final IpAddress address, final long mac, final NetDevice device,
        final EventScheduler scheduler, final long seed)
    {
        this.name = name;
        this.address = address;
        this.mac = mac;
        this.device = device;
        this.txChecksum = device.features().txChecksum();
        this.scheduler = scheduler;
        this.random = new SplittableRandom(seed);
        device.setRxHandler(new RxHandler()
        {
            @Override
            public void onReceive(final byte[] frame, final int offset, final int length, final int mark)
            {
                onFrame(frame, offset, length, mark);
            }

            @Override
            public void onReceive(final BytesStore<?, ?> buffer, final long offset, final int length, final int mark)
            {
                onFrame(buffer, null, offset, length, mark);
            }

            @Override
            public void onPollEnd()
            {
                gro.flush();
            }
        });
        this.groEnabled = device.features().napi();
        device.setTxSpaceListener(this::drainDeferred);
    }

    /**
     * Turns generic receive offload on or off ({@code ethtool -K dev gro on|off}); on by default when the device
     * delivers frames in polls. Frames held when it is turned off go up first.
     *
     * @param enabled whether in-order segments of a poll are merged.
     */
    public void setGro(final boolean enabled)
    {
        gro.flush();
        groEnabled = enabled && device.features().napi();
    }

    /** @return the host's name. */
    public String name()
    {
        return name;
    }

    /** @return the host's address. */
    public IpAddress address()
    {
        return address;
    }

    /** @return the host's device. */
    public NetDevice device()
    {
        return device;
    }

    /** @return the scheduler. */
    public EventScheduler scheduler()
    {
        return scheduler;
    }

    /**
     * A transport for a kTLS socket on one of this host's connections, bound to this host's device when it offloads
     * TLS.
     *
     * @param connection a connection of this host.
     * @return the transport.
     */
    public io.tlsnic.stack.tls.TcpConnectionTransport transportFor(final TcpConnection connection)
    {
        final io.tlsnic.stack.dev.TlsDeviceOps ops = device.tlsOps();
        if (ops == null)
        {
            return new io.tlsnic.stack.tls.TcpConnectionTransport(connection);
        }
        IpAddress remote = null;
        for (final Map.Entry<Key, Endpoint> e : connections.entrySet())
        {
            if (e.getValue().connection == connection)
            {
                remote = e.getValue().remote;
            }
        }
        if (remote == null)
        {
            throw new IllegalArgumentException(name + " has no connection " + connection);
        }
        final io.tlsnic.stack.dev.FlowTuple flow = new io.tlsnic.stack.dev.FlowTuple(address.high(), address.low(),
            connection.localPort(), remote.high(), remote.low(), connection.remotePort());
        return new io.tlsnic.stack.tls.TcpConnectionTransport(connection,
            new io.tlsnic.stack.tls.TcpTransport.DeviceBinding(ops, device.features().tls(), flow));
    }

    /** @param lookup tells which connections' packets carry TLS TX offload state (default: the ULP data). */
    public void setTxOffloadLookup(final TxOffloadLookup lookup)
    {
        this.txOffload = lookup;
    }

    /**
     * @param ip a directly reachable address.
     * @param neighbourMac its MAC (no ARP in the emulation).
     */
    public void addNeighbour(final IpAddress ip, final long neighbourMac)
    {
        neighbours.put(ip, neighbourMac);
    }

    /**
     * Opens a connection (sends the SYN now).
     *
     * @param remote peer address.
     * @param remotePort peer port.
     * @param config TCP configuration.
     * @return the connection, in SYN_SENT.
     */
    public TcpConnection connect(final IpAddress remote, final int remotePort, final TcpConfig config)
    {
        final int localPort = nextEphemeralPort++;
        final TcpConnection c = create(remote, remotePort, localPort, config);
        c.connect(random.nextInt());
        return c;
    }

    /**
     * Opens a connection that is already ESTABLISHED, as a capture replay needs.
     *
     * @param remote peer address.
     * @param remotePort peer port.
     * @param localPort local port.
     * @param factory builds the connection from the sink this host provides.
     * @return the connection.
     */
    public TcpConnection adopt(final IpAddress remote, final int remotePort, final int localPort,
        final java.util.function.Function<SegmentSink, TcpConnection> factory)
    {
        final SegmentCodec codec = codecFor(remote, localPort, remotePort);
        final Endpoint[] holder = new Endpoint[1];
        final TcpConnection c = factory.apply(SegmentSink.lending(s -> transmit(holder[0], s)));
        c.setReceiveBuffers(gro.buffers());
        holder[0] = new Endpoint(c, codec, remote);
        connections.put(new Key(remote.high(), remote.low(), remotePort, localPort), holder[0]);
        return c;
    }

    /**
     * Accepts connections on a port.
     *
     * @param port local port.
     * @param config TCP configuration of accepted connections.
     * @param onAccept called with each new connection when its SYN arrives.
     */
    public void listen(final int port, final TcpConfig config, final Consumer<TcpConnection> onAccept)
    {
        listeners.put(port, new Listener(config, onAccept));
    }

    /** @return the value of a host counter. */
    public long counter(final HostCounter counter)
    {
        return counters[counter.ordinal()];
    }

    /** @return frames waiting for device queue space. */
    public int deferredFrames()
    {
        return deferred.size();
    }

    private TcpConnection create(final IpAddress remote, final int remotePort, final int localPort,
        final TcpConfig config)
    {
        final SegmentCodec codec = codecFor(remote, localPort, remotePort);
        final Endpoint[] holder = new Endpoint[1];
        final TcpConnection c = new TcpConnection(config, localPort, remotePort, scheduler,
            SegmentSink.lending(s -> transmit(holder[0], s)));
        c.setReceiveBuffers(gro.buffers());
        holder[0] = new Endpoint(c, codec, remote);
        connections.put(new Key(remote.high(), remote.low(), remotePort, localPort), holder[0]);
        return c;
    }

    private SegmentCodec codecFor(final IpAddress remote, final int localPort, final int remotePort)
    {
        final Long remoteMac = neighbours.get(remote);
        if (remoteMac == null)
        {
            throw new IllegalArgumentException(name + ": no neighbour entry for " + remote);
        }
        return new SegmentCodec(mac, remoteMac, address, remote, localPort, remotePort);
    }

    private void transmit(final Endpoint endpoint, final TcpSegment segment)
    {
        final TlsTxOffload tls = segment.payloadLength() > 0 ? txOffload.offloadFor(endpoint.connection) : null;
        final long seq = segment.seq() & 0xFFFF_FFFFL;
        if (txChecksum)
        {
            // CHECKSUM_PARTIAL: headers from the codec, the payload where TCP keeps it; the device sums both.
            final int headerLength = endpoint.codec.encodeHeaders(segment);
            send(new TxPacket(endpoint.codec.headers(), headerLength, segment.payload(), segment.payloadOffset(),
                segment.payloadLength(), seq, segment.tsoMss(), tls, true));
            return;
        }
        final byte[] frame = endpoint.codec.encode(segment);
        send(new TxPacket(frame, frame.length, frame.length - segment.payloadLength(), seq, segment.tsoMss(), tls));
    }

    private void send(final TxPacket packet)
    {
        if (!deferred.isEmpty() || !device.transmit(packet))
        {
            deferred.add(packet.detached());
            counters[HostCounter.TX_DEFERRED.ordinal()]++;
        }
    }

    private void drainDeferred()
    {
        TxPacket p;
        while ((p = deferred.peek()) != null && device.transmit(p))
        {
            deferred.poll();
        }
    }

    /** A frame in an array of its own: TCP may keep the payload where it is. */
    private void onFrame(final byte[] frame, final int offset, final int length, final int mark)
    {
        onFrame(BytesStore.wrap(frame), frame, offset, length, mark);
    }

    /**
     * @param store the frame's buffer.
     * @param frame the array behind {@code store} when TCP may keep its payload in place, or null when the buffer is
     *     only lent (a device's RX buffer): then the payload alone is copied out, by GRO when it is on.
     */
    private void onFrame(final BytesStore<?, ?> store, final byte[] frame, final long offset, final int length,
        final int mark)
    {
        if (parser.parseEthernet(store, offset, length) != ParseStatus.OK)
        {
            counters[HostCounter.IP_IN_DISCARDS.ordinal()]++;
            return;
        }
        if (parser.destinationAddressHigh() != address.high() || parser.destinationAddressLow() != address.low())
        {
            counters[HostCounter.IN_ERRS.ordinal()]++;
            return;
        }
        if (!device.features().rxChecksum() && !parser.tcpChecksumValid())
        {
            counters[HostCounter.IN_CSUM_ERRORS.ordinal()]++;
            return;
        }
        // A lent heap buffer's payload stays where it is until GRO copies it into the merge it builds.
        final byte[] lentArray = frame == null && groEnabled && store.underlyingObject() instanceof byte[] array
            ? array : null;
        final boolean lent = lentArray != null;
        TcpSegment segment;
        if (frame != null)
        {
            segment = SegmentCodec.decode(parser, frame, (int)offset, mark, options);
        }
        else if (lent)
        {
            segment = SegmentCodec.decodeWithPayload(parser, lentArray, (int)(offset + parser.payloadOffset()), mark,
                options);
        }
        else
        {
            final byte[] payload = parser.payloadLength() > 0 ? new byte[parser.payloadLength()] : NO_PAYLOAD;
            store.read(offset + parser.payloadOffset(), payload, 0, payload.length);
            segment = SegmentCodec.decodeWithPayload(parser, payload, 0, mark, options);
        }
        if (segment == null)
        {
            counters[HostCounter.IN_ERRS.ordinal()]++;
            return;
        }
        final Key key = new Key(parser.sourceAddressHigh(), parser.sourceAddressLow(), segment.srcPort(),
            segment.dstPort());
        // A bulk flow's frames come in runs: the last connection found is checked before the table.
        final Endpoint e = key.equals(lastKey) ? lastEndpoint : connections.get(key);
        if (e != null)
        {
            lastKey = key;
            lastEndpoint = e;
            if (groEnabled)
            {
                gro.receive(e, segment, lent);
            }
            else
            {
                e.connection.onSegment(segment);
            }
            return;
        }
        gro.flush();
        if (lent)
        {
            segment = Gro.owned(segment);
        }
        final IpAddress remote = new IpAddress(key.remoteHigh(), key.remoteLow());
        final Listener l = listeners.get(segment.dstPort());
        if (l != null && segment.has(TcpSegment.SYN) && !segment.has(TcpSegment.ACK) && neighbours.containsKey(remote))
        {
            final TcpConnection c = create(remote, segment.srcPort(), segment.dstPort(), l.config());
            c.listen(random.nextInt());
            l.onAccept().accept(c);
            c.onSegment(segment);
            return;
        }
        if (!segment.has(TcpSegment.RST) && neighbours.containsKey(remote))
        {
            resetFor(remote, segment);
        }
    }

    /** RFC 9293 §3.10.7.1: a segment for a closed port is answered with a reset. */
    private void resetFor(final IpAddress remote, final TcpSegment in)
    {
        final TcpSegment.Builder rst = TcpSegment.builder().ports(in.dstPort(), in.srcPort());
        if (in.has(TcpSegment.ACK))
        {
            rst.seq(in.ack()).flags(TcpSegment.RST);
        }
        else
        {
            rst.seq(0).ack(in.seq() + in.seqLength()).flags(TcpSegment.RST | TcpSegment.ACK);
        }
        final SegmentCodec codec = codecFor(remote, in.dstPort(), in.srcPort());
        final TcpSegment segment = rst.build();
        final byte[] frame = codec.encode(segment);
        send(new TxPacket(frame, frame.length, frame.length, segment.seq() & 0xFFFF_FFFFL, 0, null));
        counters[HostCounter.OUT_RSTS.ordinal()]++;
    }

    @Override
    public String toString()
    {
        return name + " " + address;
    }
}
