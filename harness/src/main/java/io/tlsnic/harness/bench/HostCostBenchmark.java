package io.tlsnic.harness.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.harness.scenario.Network;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Host cost per application byte of kTLS with the record layer offloaded to the NIC, against software kTLS on the
 * same NIC with no TLS offload ({@link DeviceCapabilities#none()}): TLS 1.3 AES-128-GCM, one direction, records of
 * {@code recordLength} bytes written with {@code send} (one record per call) or {@code sendfile} (one record per
 * call, from a file), read with {@code recv} into a 64 KiB buffer.
 *
 * <p>Host cost is the CPU time of what a host CPU would execute: the kTLS socket layer, TCP and the driver. Two hosts
 * (stack + driver + NIC each, {@link Network}) move the data as they always do, on one thread and the virtual
 * clock; the wall-clock time of the host's own code is added up while it runs: the application's {@code send} /
 * {@code sendfile} / {@code recv} calls, and every driver poll that did work (NAPI: TX completions, received frames
 * up through TCP and the socket, ACK processing, segments TCP sends when the window opens). Not counted: the NICs
 * (the device's work, including inline encryption and decryption), the link, and the TCP timers that fire from the
 * event queue (delayed ACKs). The sending host's time is the send path; the receiving host's the receive path; both
 * come from the same run. In offload mode the sender frames records and posts plaintext (the device encrypts) and the
 * receiver gets records the device decrypted; in software mode the sender's socket encrypts and the receiver's
 * decrypts. Everything else, the NICs included, is the same in both modes.
 *
 * <p>The application calls {@code send} and {@code recv} edge-triggered, as with epoll: again after EAGAIN or a
 * short write only once the send buffer has more room, or more bytes have arrived.
 *
 * <p>Every byte received is compared with the byte sent; at the end of each iteration every byte sent must have
 * arrived and each mode must have run as it says (device counters for offload, none for software). The primary
 * score is the whole two-host system's application bytes per second; the host figures are the
 * {@link HostTime} counters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HostCostBenchmark
{
    /** Application bytes moved per invocation. */
    public static final int BYTES_PER_INVOCATION = 256 * 1024;
    /** Bytes of seeded data the sender cycles through (a multiple of every record length). */
    static final int PATTERN_LENGTH = 1 << 20;
    private static final int READ_BUFFER_LENGTH = 64 * 1024;
    private static final int PORT = 443;
    private static final long SECOND = 1_000_000_000L;

    /** offload: TLS TX and RX on the NICs; software: software kTLS, the NICs offer no TLS offload. */
    @Param({"offload", "software"})
    public String mode;

    /** send: {@code send(2)} from a buffer; sendfile: {@code sendfile(2)} from a file. */
    @Param({"send", "sendfile"})
    public String api;

    /** Application bytes per record (per call). */
    @Param({"64", "1024", "4096", "16384"})
    public int recordLength;

    private Network net;
    private TimedAgent senderDriver;
    private TimedAgent receiverDriver;
    private Agent[] agents;
    private Nic senderNic;
    private Nic receiverNic;
    private KtlsSocket sender;
    private KtlsSocket receiver;
    private TcpConnection senderTcp;
    private TcpConnection receiverTcp;
    private final TlsCounters senderCounters = new TlsCounters();
    private final TlsCounters receiverCounters = new TlsCounters();
    private final byte[] pattern = new byte[PATTERN_LENGTH];
    private final byte[] readBuffer = new byte[READ_BUFFER_LENGTH];
    private Path file;
    private FileChannel channel;
    private boolean useSendfile;
    private long sent;
    private long received;
    private long target;
    private int blockedAtFree = -1;
    private long blockedAtPending = -1;
    private int blockedAtReadable = -1;
    private HostTime time;
    private final BooleanSupplier step = this::step;

    /** Host nanoseconds and application bytes of the measured iterations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class HostTime
    {
        /** Nanoseconds of the sending host: send/sendfile calls and its driver's productive polls. */
        public long sendPathNs;
        /** Nanoseconds of the receiving host: recv calls and its driver's productive polls. */
        public long receivePathNs;
        /** Application bytes delivered. */
        public long applicationBytes;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset()
        {
            sendPathNs = 0;
            receivePathNs = 0;
            applicationBytes = 0;
        }
    }

    /** Two hosts, a TCP connection between them, kTLS TX on the sender and RX on the receiver. */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        useSendfile = switch (api)
        {
            case "send" -> false;
            case "sendfile" -> true;
            default -> throw new IllegalArgumentException("api must be send or sendfile, got " + api);
        };
        net = new Network(nicConfig(mode), DriverConfig.defaults(), LinkFaults.none(), 17);
        senderNic = net.nics().get(0);
        receiverNic = net.nics().get(1);
        senderDriver = new TimedAgent(net.driverA());
        receiverDriver = new TimedAgent(net.driverB());
        agents = new Agent[] {senderDriver, senderNic, receiverDriver, receiverNic};
        final TcpConnection[] accepted = new TcpConnection[1];
        net.hostB().listen(PORT, TcpConfig.defaults(), c -> accepted[0] = c);
        senderTcp = net.hostA().connect(net.hostB().address(), PORT, TcpConfig.defaults());
        if (!net.scheduler().runAgents(agents, net.scheduler().nowNs() + 10 * SECOND,
            () -> senderTcp.state() == TcpState.ESTABLISHED && accepted[0] != null
                && accepted[0].state() == TcpState.ESTABLISHED))
        {
            throw new IllegalStateException("TCP connection did not establish");
        }
        receiverTcp = accepted[0];
        final SplittableRandom random = new SplittableRandom(recordLength);
        final CryptoInfo keys = CryptoInfo.random(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, random);
        sender = new KtlsSocket(net.hostA().transportFor(senderTcp), senderCounters);
        receiver = new KtlsSocket(net.hostB().transportFor(receiverTcp), receiverCounters);
        sender.setUlp("tls");
        receiver.setUlp("tls");
        sender.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, keys.toBytes());
        receiver.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, keys.toBytes());
        random.nextBytes(pattern);
        if (useSendfile)
        {
            file = Files.createTempFile("tlsnic-hostcost", ".bin");
            Files.write(file, pattern);
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
    }

    /**
     * @param mode offload or software.
     * @return the default device, or the same device with no TLS offload.
     */
    static NicConfig nicConfig(final String mode)
    {
        final NicConfig d = NicConfig.defaults();
        return switch (mode)
        {
            case "offload" -> d;
            case "software" -> new NicConfig(d.queues(), d.contextCapacity(), d.contextCacheCapacity(),
                DeviceCapabilities.none(), d.controlLatencyNs(), d.batch(), d.rxResyncMode());
            default -> throw new IllegalArgumentException("mode must be offload or software, got " + mode);
        };
    }

    /** Moves {@link #BYTES_PER_INVOCATION} more application bytes from sender to receiver. */
    @Benchmark
    @OperationsPerInvocation(BYTES_PER_INVOCATION)
    public long transfer(final HostTime hostTime)
    {
        time = hostTime;
        target += BYTES_PER_INVOCATION;
        drive();
        hostTime.sendPathNs += senderDriver.takeBusyNs();
        hostTime.receivePathNs += receiverDriver.takeBusyNs();
        hostTime.applicationBytes += BYTES_PER_INVOCATION;
        return received;
    }

    private void drive()
    {
        while (!net.scheduler().runAgents(agents, Long.MAX_VALUE, step))
        {
            // Nothing left to run and the application did not see a change: poll once level-triggered.
            final long before = sent + received;
            blockedAtFree = -1;
            blockedAtPending = -1;
            blockedAtReadable = -1;
            if (step() || sent + received != before)
            {
                continue;
            }
            throw new IllegalStateException("transfer stalled: " + sent + " bytes sent, " + received
                + " received, target " + target + "; " + senderNic + ", " + receiverNic);
        }
    }

    /** The application: writes while the socket takes bytes, reads and checks what arrived. */
    private boolean step()
    {
        if (sent < target && (senderTcp.sendBufferFree() != blockedAtFree
            || sender.pendingTxBytes() != blockedAtPending))
        {
            write();
        }
        if (receiverTcp.readableBytes() != blockedAtReadable)
        {
            read();
        }
        return received >= target;
    }

    private void write()
    {
        while (sent < target)
        {
            final int offset = (int)(sent % PATTERN_LENGTH);
            // After a short write the rest of the record goes in the next call.
            final int length = recordLength - (int)(sent % recordLength);
            long taken;
            final long start = System.nanoTime();
            try
            {
                taken = useSendfile ? sender.sendfile(channel, offset, length)
                    : sender.send(pattern, offset, length, Ktls.MSG_DONTWAIT);
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.ENOMEM)
                {
                    throw e;
                }
                taken = 0;
            }
            time.sendPathNs += System.nanoTime() - start;
            sent += taken;
            if (taken < length)
            {
                blockedAtFree = senderTcp.sendBufferFree();
                blockedAtPending = sender.pendingTxBytes();
                return;
            }
        }
    }

    private void read()
    {
        while (true)
        {
            int n;
            final long start = System.nanoTime();
            try
            {
                n = receiver.recv(readBuffer, 0, READ_BUFFER_LENGTH, Ktls.MSG_DONTWAIT);
            }
            catch (final TlsErrnoException e)
            {
                if (e.errno() != Errno.EAGAIN)
                {
                    throw e;
                }
                n = -1;
            }
            time.receivePathNs += System.nanoTime() - start;
            if (n == 0)
            {
                throw new IllegalStateException("end of stream after " + received + " bytes");
            }
            if (n < 0)
            {
                blockedAtReadable = receiverTcp.readableBytes();
                return;
            }
            check(n);
            received += n;
        }
    }

    /** The bytes just read are the pattern's bytes at the stream offset received. */
    private void check(final int length)
    {
        int done = 0;
        while (done < length)
        {
            final int at = (int)((received + done) % PATTERN_LENGTH);
            final int n = Math.min(length - done, PATTERN_LENGTH - at);
            final int mismatch = Arrays.mismatch(readBuffer, done, done + n, pattern, at, at + n);
            if (mismatch >= 0)
            {
                throw new IllegalStateException("wrong byte at stream offset " + (received + done + mismatch)
                    + ": received " + readBuffer[done + mismatch] + ", sent " + pattern[at + mismatch]);
            }
            done += n;
        }
    }

    /** Every byte sent arrived (each was compared as it did), and the mode ran as it says. */
    @TearDown(Level.Iteration)
    public void verify()
    {
        if (sent != target || received != target)
        {
            throw new IllegalStateException(sent + " bytes sent and " + received + " received, expected " + target);
        }
        final long encrypted = senderNic.counters().get(NicCounters.TX_TLS_ENCRYPTED_BYTES);
        final long decrypted = receiverNic.counters().get(NicCounters.RX_TLS_DECRYPTED_BYTES);
        final long deviceRecords = receiverCounters.get(TlsStat.TLS_RX_RECORD_DEVICE);
        final long otherRecords = receiverCounters.get(TlsStat.TLS_RX_RECORD_SW)
            + receiverCounters.get(TlsStat.TLS_RX_RECORD_MIXED);
        final boolean offload = "offload".equals(mode);
        final boolean ranAsSaid = offload
            ? sender.txOffloaded() && receiver.rxOffloaded() && encrypted >= target && decrypted >= target
                && deviceRecords > 0 && otherRecords == 0
            : !sender.txOffloaded() && !receiver.rxOffloaded() && encrypted == 0 && decrypted == 0
                && deviceRecords == 0;
        if (!ranAsSaid)
        {
            throw new IllegalStateException(mode + " mode did not run as such: TX offloaded " + sender.txOffloaded()
                + ", RX offloaded " + receiver.rxOffloaded() + ", device encrypted " + encrypted + " and decrypted "
                + decrypted + " bytes, receiver opened " + deviceRecords + " device and " + otherRecords
                + " software or mixed records");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (channel != null)
        {
            channel.close();
            Files.deleteIfExists(file);
        }
        net.close();
    }
}
