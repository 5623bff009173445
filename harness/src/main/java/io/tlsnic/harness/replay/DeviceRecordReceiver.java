package io.tlsnic.harness.replay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.driver.NicDriver;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.dev.DeviceFeatures;
import io.tlsnic.stack.dev.NetDevice;
import io.tlsnic.stack.dev.RxHandler;
import io.tlsnic.stack.dev.TlsDeviceOps;
import io.tlsnic.stack.dev.TxPacket;
import io.tlsnic.stack.net.Host;
import io.tlsnic.stack.net.IpAddress;
import io.tlsnic.stack.tcp.NegotiatedOptions;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.RecordTypeCmsg;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.wire.frame.FrameBuilder;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;

/**
 * The receiver of one flow direction played through the emulated device: each captured segment becomes an
 * Ethernet frame that enters an emulated {@link Nic}'s RX path; its {@link NicDriver} hands the frame, with the
 * device's completion mark, to a {@link Host} whose {@link TcpConnection} (started ESTABLISHED) reassembles the
 * stream for a {@link KtlsSocket} with TLS_RX set from the replay's crypto_info. That socket installs the RX context
 * on the device at the first unread seq (where kTLS takes over) with the first record's number, frames the records,
 * classifies each by the marks of its bytes (device / mixed / software) and opens what the device did not; the
 * application side reads with {@code recvmsg} and a record-type cmsg, control records included.
 *
 * <p>Decisions:
 * <ul>
 *   <li><b>Frames.</b> Whatever the capture's link type, each segment is rebuilt as Ethernet (synthetic MACs: the
 *   receiving host's and its one neighbour's) + the captured IP addresses, ports and seq + the payload, with ACK
 *   set to what the receiver has sent (nothing) and no TCP options (a capture's timestamps and SACK blocks concern
 *   the live connection, not this one). The IPv4 header and TCP checksums are therefore always computed afresh
 *   ({@code checksumsRecomputed} = frames fed): captures taken where checksum offload leaves only the pseudo-header
 *   sum are accepted, and a frame corrupted on the captured wire is not detected by the emulated NIC. RX buffers
 *   are 64 KiB so that segments a capture point coalesced (GRO, loopback) enter as one frame.</li>
 *   <li><b>TCP.</b> The connection starts ESTABLISHED with RCV.NXT at the seq where kTLS takes over (IRS = that seq
 *   - 1): the TLS library has read the handshake bytes before it. A segment that straddles that seq is trimmed by
 *   TCP, and the device, whose context starts there, passes it unmodified (the record it starts is opened in
 *   software, as on a real host where those bytes arrived before the install). The receive window is 1 GiB
 *   (scale 14) so nothing a capture holds falls outside it; the connection sends no data, so it never retransmits
 *   and never times out; its ACKs leave through the NIC to no link. TCP handles reordering, duplicates and
 *   retransmissions.</li>
 *   <li><b>Rekey.</b> A TLS 1.3 KeyUpdate gets a new TLS_RX on the socket. kTLS refuses it with EBUSY while the
 *   direction is offloaded (there is no device rekey), so the rest of the direction continues in software from the
 *   record after the KeyUpdate: the device socket is abandoned and the remaining captured records are opened by
 *   {@link RecordOpener}, classified {@link RecordClass#SOFTWARE}. A socket that runs RX in software (ChaCha20)
 *   rekeys in place.</li>
 *   <li><b>Holes.</b> TCP cannot deliver past bytes the capture never had. At the end of the capture the records
 *   after such a hole, framed from the captured bytes alongside, are opened in software (as
 *   {@link SoftwareRecordReceiver} does, with incomplete records reported), so the plaintext is the same as the
 *   software receiver's. Those records are classified by the marks the device gave the packets that carried them
 *   (first arrival of each byte), by the stack's own rule: the class the socket would have given them had the
 *   sender's retransmission filled the hole. Resync is not modelled yet: a device that lost a record header stays
 *   out of sync.</li>
 * </ul>
 * The captured bytes of each record (for the TX re-seal check) come from that shadow framing: the device decrypts
 * in place.
 */
public final class DeviceRecordReceiver implements RecordReceiver, RecordFramer.RecordSink
{
    /** Synthetic MAC of the receiving host's NIC. */
    static final long HOST_MAC = 0x02_00_00_00_00_02L;
    /** Synthetic MAC of the neighbour every captured frame comes from. */
    static final long PEER_MAC = 0x02_00_00_00_00_01L;
    private static final int RX_BUFFER_LENGTH = 65536 + 256;
    private static final long SLICE_NS = 1_000_000L;
    private static final int READ_BUFFER = 1 << 16;

    /** A record (or gap) of the direction as framed from the captured bytes. */
    private record Shadow(long tcpSeq, byte[] record, boolean afterLostChain, int incompleteLength, String reason,
        boolean notTls)
    {
    }

    private final String direction;
    private final DirectionStream captured;
    private final RecordListener listener;
    private final TcpReassembler reassembler;
    private final RecordFramer framer = new RecordFramer(this);
    private final ArrayDeque<Shadow> shadows = new ArrayDeque<>();

    private final EventScheduler scheduler = new EventScheduler(new VirtualClock());
    private final HostMemory memory = new HostMemory();
    private final Nic nic;
    private final NicDriver driver;
    private final TcpConnection connection;
    private final KtlsSocket socket;
    private final TlsCounters counters = new TlsCounters();
    private final Agent[] agents;
    private final FrameBuilder frames = new FrameBuilder();
    /** Where each frame is built, wrapped once (a {@link BytesStore} per frame costs more than the frame's copy). */
    private byte[] frameBuffer = new byte[RX_BUFFER_LENGTH];
    private BytesStore<?, byte[]> frameStore = BytesStore.wrap(frameBuffer);
    private final List<Object[]> opened = new ArrayList<>();
    private final RecordTypeCmsg cmsg = new RecordTypeCmsg();
    /** What {@code recvmsg} returned that no opened record has claimed yet: {@code readBytes[readStart, readEnd)}. */
    private byte[] readBytes = new byte[2 * READ_BUFFER];
    private int readStart;
    private int readEnd;
    /** Record type and bytes not yet claimed, one entry per {@code recvmsg}, in order. */
    private final ArrayDeque<int[]> reads = new ArrayDeque<>();
    /** Stream offset of each packet's first byte (first arrival only) to {end offset, PacketMark ordinal}. */
    private final TreeMap<Long, long[]> packetMarks = new TreeMap<>();

    private CryptoInfo currentInfo;
    private int generation;
    private long nextRecordNumber;
    private RecordOpener software;
    private boolean failed;
    private boolean finished;
    private int lastMark = -1;
    private long framesFed;
    private long packetsDecrypted;
    private long packetsFailed;
    private long recordsFromCapture;
    private boolean classifyByMarks;
    private String fallbackReason;

    /**
     * @param source      the direction's sender.
     * @param destination its receiver: the emulated host.
     * @param cryptoInfo  keys; {@code rec_seq} is the first record's number.
     * @param startSeq    TCP seq of the first record's header.
     * @param captured    the direction as the replay's first pass framed it (its records are shared, not copied,
     *     when the shadow framing finds the same bytes), or null.
     * @param listener    where records go.
     */
    public DeviceRecordReceiver(final Endpoint source, final Endpoint destination, final CryptoInfo cryptoInfo,
        final long startSeq, final DirectionStream captured, final RecordListener listener)
    {
        this.direction = source + " -> " + destination;
        this.captured = captured;
        this.listener = listener;
        this.currentInfo = cryptoInfo;
        this.nextRecordNumber = cryptoInfo.recSeq();
        this.reassembler = new TcpReassembler(framer);
        reassembler.accept(startSeq, false, new byte[0]);

        final DriverConfig defaults = DriverConfig.defaults();
        final DriverConfig driverConfig = new DriverConfig(8, 8, 16, defaults.controlRingSize(), RX_BUFFER_LENGTH,
            defaults.napiBudget(), defaults.tsoMaxBytes(), defaults.txResync(), defaults.softwarePolicyThreshold(),
            defaults.napi());
        nic = new Nic("replay-nic", new NicConfig(1, 4, 4, NicConfig.defaults().capabilities(), 2_000, 64), memory,
            scheduler);
        driver = new NicDriver("replay0", nic, memory, driverConfig);
        agents = new Agent[] {driver, nic};
        final IpAddress local = new IpAddress(destination.addressHigh(), destination.addressLow());
        final IpAddress remote = new IpAddress(source.addressHigh(), source.addressLow());
        final Host host = new Host("replay", local, HOST_MAC, new MarkTap(driver), scheduler, 1);
        host.addNeighbour(remote, PEER_MAC);
        final TcpConfig tcp = TcpConfig.builder().receiveBufferCapacity(1 << 30).timestamps(false).sack(false)
            .build();
        final int irs = (int)(startSeq - 1);
        final NegotiatedOptions negotiated = new NegotiatedOptions(1460, 0, 14, false, false);
        connection = host.adopt(remote, source.port(), destination.port(), sink -> TcpConnection.established(tcp,
            destination.port(), source.port(), scheduler, sink, 0, irs, negotiated, 65535));
        socket = new KtlsSocket(host.transportFor(connection), counters);
        socket.setUlp("tls");
        socket.setRxRecordObserver((seq, number, recordClass, type, buf, off, len, padding) ->
            opened.add(new Object[] {seq, number, recordClass, type, Arrays.copyOfRange(buf, off, off + len),
                padding}));
        socket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, cryptoInfo.toBytes());
        run(); // the install command completes

        frames.ethernet(HOST_MAC, PEER_MAC).ports(source.port(), destination.port());
        if (source.isIpv4())
        {
            frames.ipv4((int)source.addressLow(), (int)destination.addressLow());
        }
        else
        {
            frames.ipv6(source.addressHigh(), source.addressLow(), destination.addressHigh(), destination.addressLow());
        }
    }

    /** @return a factory of device receivers. */
    public static RecordReceiverFactory factory()
    {
        return DeviceRecordReceiver::new;
    }

    /** @return whether the socket's RX runs on the device (false: not offloadable, e.g. ChaCha20). */
    public boolean rxOffloaded()
    {
        return socket.rxOffloaded();
    }

    @Override
    public PacketMark onSegment(
        final long frameNumber, final long tcpSeq, final byte[] payload, final int offset, final int length)
    {
        reassembler.accept(tcpSeq, false, payload, offset, length);
        if (software != null || failed)
        {
            drainShadowsInSoftware();
            return PacketMark.NOT_DECRYPTED;
        }
        final int header = frames.headerLength();
        if (header + length >= frameBuffer.length)
        {
            frameBuffer = new byte[header + length + 1];
            frameStore = BytesStore.wrap(frameBuffer);
        }
        System.arraycopy(payload, offset, frameBuffer, header, length);
        frames.write(frameStore, 0, tcpSeq, connection.sndNxt() & 0xFFFF_FFFFL,
            TcpHeaderFlyweight.ACK | TcpHeaderFlyweight.PSH, 0xFFFF, length);
        framesFed++;
        final long resyncRequests = nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_PKT);
        lastMark = -1;
        // Shorter than the buffer, so the port keeps a copy of the frame's bytes (Nic.receiveFrame), not the buffer.
        nic.receiveFrame(frameBuffer, header + length);
        run();
        final PacketMark mark;
        if (nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_PKT) != resyncRequests)
        {
            mark = PacketMark.RESYNC_REQUEST;
        }
        else if (lastMark == RxHandler.MARK_DECRYPTED)
        {
            packetsDecrypted++;
            mark = PacketMark.DECRYPTED;
        }
        else if (lastMark == RxHandler.MARK_DECRYPT_FAILED)
        {
            packetsFailed++;
            mark = PacketMark.ERROR;
        }
        else
        {
            mark = PacketMark.NOT_DECRYPTED;
        }
        notePacket(tcpSeq, length, mark);
        read();
        return mark;
    }

    /** Keeps the mark of the first packet to carry each stream byte (what TCP would keep). */
    private void notePacket(final long tcpSeq, final int length, final PacketMark mark)
    {
        final long end = reassembler.streamOffset(tcpSeq) + length;
        final long start = Math.max(0, end - length);
        final Map.Entry<Long, long[]> before = packetMarks.floorEntry(start);
        if (start < end && (before == null || before.getValue()[0] <= start))
        {
            packetMarks.put(start, new long[] {end, mark.ordinal()});
        }
    }

    /** The class the stack gives a record whose bytes came in these packets (RecordClass.of in the stack). */
    private RecordClass classByMarks(final long tcpSeq, final int length)
    {
        final long start = reassembler.streamOffset(tcpSeq);
        final long end = start + length;
        boolean decrypted = false;
        boolean encrypted = false;
        long covered = start;
        final Long from = packetMarks.floorKey(start);
        for (final Map.Entry<Long, long[]> e : packetMarks.tailMap(from == null ? start : from, true).entrySet())
        {
            if (e.getKey() >= end)
            {
                break;
            }
            if (e.getValue()[0] <= start)
            {
                continue;
            }
            encrypted |= e.getKey() > covered;
            if (e.getValue()[1] == PacketMark.DECRYPTED.ordinal())
            {
                decrypted = true;
            }
            else
            {
                encrypted = true;
            }
            covered = Math.max(covered, e.getValue()[0]);
        }
        encrypted |= covered < end;
        return decrypted ? (encrypted ? RecordClass.MIXED : RecordClass.DEVICE) : RecordClass.SOFTWARE;
    }

    @Override
    public void rekey(final CryptoInfo next)
    {
        generation++;
        if (software != null)
        {
            software.rekey(next);
            return;
        }
        try
        {
            socket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, next.toBytes());
            currentInfo = next;
            nextRecordNumber = next.recSeq();
        }
        catch (final TlsErrnoException e)
        {
            if (e.errno() != Errno.EBUSY)
            {
                throw e;
            }
            // No device rekey: the rest of the direction is opened in software with the new key.
            fallbackReason = "TLS_RX rekey refused (EBUSY: offloaded direction): the rest in software";
            software = new RecordOpener(direction, next, generation, listener);
        }
    }

    @Override
    public void finish()
    {
        if (finished)
        {
            return;
        }
        finished = true;
        reassembler.finish();
        framer.finish();
        if (software == null && !failed)
        {
            read();
            if (!failed && !shadows.isEmpty())
            {
                // Records TCP cannot deliver (after bytes the capture lacks): open them from the captured bytes.
                fallbackReason = "bytes missing from the capture: TCP cannot deliver past the hole; the records after"
                    + " it are opened from the captured bytes and classified by their packets' device marks";
                classifyByMarks = true;
                final CryptoInfo from = CryptoInfo.of(currentInfo.version(), currentInfo.cipher(), currentInfo.iv(),
                    currentInfo.key(), currentInfo.salt(), nextRecordNumber);
                software = new RecordOpener(direction, from, generation, listener);
            }
        }
        drainShadowsInSoftware();
        socket.close();
        memory.close();
    }

    @Override
    public Map<String, Long> counters()
    {
        final Map<String, Long> out = new LinkedHashMap<>();
        out.put("framesToNic", framesFed);
        out.put("checksumsRecomputed", framesFed);
        out.put("packetsDecrypted", packetsDecrypted);
        out.put("packetsDecryptFailed", packetsFailed);
        out.put("rxOffloaded", socket.rxOffloaded() ? 1L : 0L);
        out.put("rxTlsDecryptedBytes", nic.counters().get(NicCounters.RX_TLS_DECRYPTED_BYTES));
        out.put("recordsOpenedFromCapture", recordsFromCapture);
        out.put("resyncRequests", nic.counters().get(NicCounters.RX_TLS_RESYNC_REQ_START));
        out.put("resyncs", counters.get(io.tlsnic.stack.tls.TlsStat.TLS_RX_DEVICE_RESYNC));
        return out;
    }

    @Override
    public String note()
    {
        return fallbackReason;
    }

    // ------------------------------------------------------------------------------------- shadow framing

    @Override
    public void onRecord(final long streamOffset, final byte[] record, final boolean afterLostChain)
    {
        shadows.add(new Shadow(reassembler.seq(streamOffset), record, afterLostChain, 0, null, false));
    }

    @Override
    public void onRecord(final long streamOffset, final byte[] buffer, final int offset, final int length,
        final boolean afterLostChain)
    {
        // The first pass framed the same stream: share its copy of the record when the bytes are the same.
        final long seq = reassembler.seq(streamOffset);
        final byte[] framed = captured == null ? null : captured.recordAt(seq);
        final byte[] record = framed != null && Arrays.equals(framed, 0, framed.length, buffer, offset, offset + length)
            ? framed : Arrays.copyOfRange(buffer, offset, offset + length);
        shadows.add(new Shadow(seq, record, afterLostChain, 0, null, false));
    }

    @Override
    public void onIncomplete(final long streamOffset, final int recordLength, final String reason)
    {
        shadows.add(new Shadow(reassembler.seq(streamOffset), null, false, recordLength, reason, false));
    }

    @Override
    public void onNotTls(final long streamOffset)
    {
        shadows.add(new Shadow(reassembler.seq(streamOffset), null, false, 0, null, true));
    }

    // ------------------------------------------------------------------------------------- internals

    /** Runs the driver, the NIC and due timers until idle, then lets a slice of virtual time pass. */
    private void run()
    {
        final long until = scheduler.nowNs() + SLICE_NS;
        scheduler.runAgents(agents, until, () -> false);
        scheduler.clock().advanceTo(until);
    }

    /** Reads everything the socket can deliver now, as an application would, and reports each record. */
    private void read()
    {
        boolean again = true;
        while (again)
        {
            final int generationBefore = generation;
            drainSocket();
            report();
            // A rekey in place (a socket whose RX runs in software) lets the records after the KeyUpdate be read.
            again = generation != generationBefore && software == null && !failed;
        }
    }

    private void drainSocket()
    {
        while (!failed && software == null)
        {
            makeReadRoom();
            final int n;
            try
            {
                n = socket.recvmsg(readBytes, readEnd, READ_BUFFER, Ktls.MSG_DONTWAIT, cmsg);
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EKEYEXPIRED)
                {
                    report();
                    if (software == null && !failed)
                    {
                        failed = true;
                        final Shadow next = shadows.peek();
                        listener.onError(next != null ? next.tcpSeq() : -1, nextRecordNumber, e.errnoName() + ": "
                            + e.detail() + " (" + direction + ", device receiver)");
                    }
                }
                return;
            }
            if (n == 0 && !cmsg.isSet())
            {
                return; // end of stream
            }
            readEnd += n;
            reads.add(new int[] {cmsg.isSet() ? cmsg.recordType() : Ktls.RECORD_TYPE_DATA, n});
        }
    }

    /** Makes room for one more read after the unclaimed bytes, which move to the front of the buffer. */
    private void makeReadRoom()
    {
        if (readEnd + READ_BUFFER <= readBytes.length)
        {
            return;
        }
        final int unclaimed = readEnd - readStart;
        if (unclaimed + READ_BUFFER > readBytes.length)
        {
            readBytes = Arrays.copyOf(readBytes, 2 * (unclaimed + READ_BUFFER));
        }
        System.arraycopy(readBytes, readStart, readBytes, 0, unclaimed);
        readStart = 0;
        readEnd = unclaimed;
    }

    /**
     * Matches the records the socket opened with what {@code recvmsg} returned and with their captured bytes, and
     * reports them in order.
     */
    private void report()
    {
        int index = 0;
        while (index < opened.size() && software == null)
        {
            final Object[] o = opened.get(index++);
            final long seq = (Long)o[0];
            final long number = (Long)o[1];
            final io.tlsnic.stack.tls.device.RecordClass stackClass = (io.tlsnic.stack.tls.device.RecordClass)o[2];
            final int type = (Integer)o[3];
            final byte[] plaintext = (byte[])o[4];
            final int padding = (Integer)o[5];
            if (!takeRead(type, plaintext))
            {
                throw new IllegalStateException(direction + ": recvmsg did not return record " + number + " at tcp seq "
                    + seq + " as the socket opened it");
            }
            final Shadow shadow = shadows.poll();
            if (shadow == null || shadow.record() == null || shadow.tcpSeq() != seq)
            {
                throw new IllegalStateException(direction + ": the device path delivered record " + number
                    + " at tcp seq " + seq + " but the capture frames " + shadow);
            }
            nextRecordNumber = number + 1;
            listener.onRecord(new ReceivedRecord(number, generation, seq, type, plaintext, padding, shadow.record(),
                classOf(stackClass)));
        }
        opened.subList(0, index).clear();
        if (software != null)
        {
            opened.clear();
            drainShadowsInSoftware();
        }
    }

    /** Takes one record's content from the bytes {@code recvmsg} returned (data records may share a read). */
    private boolean takeRead(final int type, final byte[] plaintext)
    {
        int taken = 0;
        while (taken < plaintext.length)
        {
            final int[] head = reads.peek();
            if (head == null || head[0] != type)
            {
                return false;
            }
            final int n = Math.min(head[1], plaintext.length - taken);
            if (!Arrays.equals(readBytes, readStart, readStart + n, plaintext, taken, taken + n))
            {
                return false;
            }
            taken += n;
            readStart += n;
            head[1] -= n;
            if (head[1] == 0)
            {
                reads.poll();
            }
        }
        if (plaintext.length == 0 && type != Ktls.RECORD_TYPE_DATA)
        {
            // An empty control record is returned as an empty message with its type.
            final int[] head = reads.peek();
            if (head == null || head[1] != 0 || head[0] != type)
            {
                return false;
            }
            reads.poll();
        }
        return true;
    }

    private void drainShadowsInSoftware()
    {
        if (software == null)
        {
            return;
        }
        Shadow s;
        while ((s = shadows.poll()) != null)
        {
            if (s.record() != null)
            {
                recordsFromCapture++;
                software.open(s.tcpSeq(), s.record(), s.afterLostChain(),
                    classifyByMarks ? classByMarks(s.tcpSeq(), s.record().length) : RecordClass.SOFTWARE);
            }
            else if (s.notTls())
            {
                software.notTls(s.tcpSeq());
            }
            else
            {
                software.incomplete(s.tcpSeq(), s.incompleteLength(), s.reason());
            }
        }
    }

    private static RecordClass classOf(final io.tlsnic.stack.tls.device.RecordClass c)
    {
        switch (c)
        {
            case DEVICE:
                return RecordClass.DEVICE;
            case MIXED:
                return RecordClass.MIXED;
            default:
                return RecordClass.SOFTWARE;
        }
    }

    /** The driver as the host sees it, noting the mark of each frame it hands up. */
    private final class MarkTap implements NetDevice
    {
        private final NicDriver device;

        MarkTap(final NicDriver device)
        {
            this.device = device;
        }

        @Override
        public String name()
        {
            return device.name();
        }

        @Override
        public DeviceFeatures features()
        {
            return device.features();
        }

        @Override
        public boolean transmit(final TxPacket packet)
        {
            return device.transmit(packet);
        }

        @Override
        public void setRxHandler(final RxHandler handler)
        {
            device.setRxHandler((frame, offset, length, mark) ->
            {
                lastMark = Math.max(lastMark, mark);
                handler.onReceive(frame, offset, length, mark);
            });
        }

        @Override
        public void setTxSpaceListener(final Runnable listener)
        {
            device.setTxSpaceListener(listener);
        }

        @Override
        public TlsDeviceOps tlsOps()
        {
            return device.tlsOps();
        }
    }
}
