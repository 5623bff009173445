package io.tlsnic.stack.net;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.stack.dev.NetDevice;
import io.tlsnic.stack.dev.TlsTxOffload;
import io.tlsnic.stack.dev.TxPacket;
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
    private final NetDevice device;
    private final EventScheduler scheduler;
    private final SplittableRandom random;
    private final Map<IpAddress, Long> neighbours = new HashMap<>();
    private final Map<Key, Endpoint> connections = new HashMap<>();
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
        this.scheduler = scheduler;
        this.random = new SplittableRandom(seed);
        device.setRxHandler(this::onFrame);
        device.setTxSpaceListener(this::drainDeferred);
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
        final java.util.function.Function<io.tlsnic.stack.tcp.SegmentSink, TcpConnection> factory)
    {
        final SegmentCodec codec = codecFor(remote, localPort, remotePort);
        final Endpoint[] holder = new Endpoint[1];
        final TcpConnection c = factory.apply(s -> transmit(holder[0], s));
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
            s -> transmit(holder[0], s));
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
        final byte[] frame = endpoint.codec.encode(segment);
        final int payloadOffset = frame.length - segment.payloadLength();
        final TlsTxOffload tls = segment.payloadLength() > 0 ? txOffload.offloadFor(endpoint.connection) : null;
        send(new TxPacket(frame, frame.length, payloadOffset, segment.seq() & 0xFFFF_FFFFL, segment.tsoMss(), tls));
    }

    private void send(final TxPacket packet)
    {
        if (!deferred.isEmpty() || !device.transmit(packet))
        {
            deferred.add(packet);
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

    private void onFrame(final byte[] frame, final int offset, final int length, final int mark)
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(frame);
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
        final TcpSegment segment = SegmentCodec.decode(parser, frame, offset, mark, options);
        if (segment == null)
        {
            counters[HostCounter.IN_ERRS.ordinal()]++;
            return;
        }
        final IpAddress remote = new IpAddress(parser.sourceAddressHigh(), parser.sourceAddressLow());
        final Endpoint e = connections.get(new Key(remote.high(), remote.low(), segment.srcPort(), segment.dstPort()));
        if (e != null)
        {
            e.connection.onSegment(segment);
            return;
        }
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
