package io.tlsnic.harness.bench;

import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

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
 * One kTLS stream between two hosts of a {@link Network} (TLS 1.3 AES-128-GCM, host a sends, host b receives), with
 * the wall-clock time of each host's own code added up: the sending host's {@code send} / {@code sendfile} calls and
 * its driver's productive polls (the send path), the receiving host's {@code recv} calls and its driver's productive
 * polls (the receive path). NICs, link and timer events are not counted. With offload the NICs offer TLS offload
 * and take both directions' contexts; without, the same NICs offer none ({@link DeviceCapabilities#none()}) and the
 * sockets run software kTLS.
 *
 * <p>The application is edge-triggered, as with epoll: it calls {@code send} again after EAGAIN or a short write
 * only once the send buffer has more room, and {@code recv} again only once more bytes have arrived. Every byte
 * received is compared with the byte sent.
 */
final class KtlsTransfer implements AutoCloseable
{
    private static final int READ_BUFFER_LENGTH = 64 * 1024;
    private static final int PORT = 443;
    private static final long SECOND = 1_000_000_000L;
    /**
     * Both drivers run NAPI from the devices' moderated interrupts (8 us or 64 completions, as mlx5's defaults
     * roughly are), as a Linux host does: a poll carries a burst, GRO merges it and TCP acknowledges it once.
     */
    private static final DriverConfig DRIVER = DriverConfig.defaults().withNapi(DriverConfig.Napi.interrupts(
        DriverConfig.Napi.DEFAULT_COALESCE_NS, DriverConfig.Napi.DEFAULT_COALESCE_FRAMES));

    private final boolean offload;
    private final int recordLength;
    private final byte[] pattern;
    private final FileChannel file;
    private final Network net;
    private final TimedAgent senderDriver;
    private final TimedAgent receiverDriver;
    private final Agent[] agents;
    private final Nic senderNic;
    private final Nic receiverNic;
    private final TcpConnection senderTcp;
    private final TcpConnection receiverTcp;
    private final KtlsSocket sender;
    private final KtlsSocket receiver;
    private final TlsCounters receiverCounters = new TlsCounters();
    private final byte[] readBuffer = new byte[READ_BUFFER_LENGTH];
    private final BooleanSupplier step = this::step;
    private long sent;
    private long received;
    private long target;
    private int blockedAtFree = -1;
    private long blockedAtPending = -1;
    private int blockedAtReadable = -1;
    private long sendCallsNs;
    private long recvCallsNs;

    /**
     * @param offload TLS on the NICs, or software kTLS on NICs without TLS offload.
     * @param recordLength application bytes per record (per call).
     * @param pattern the bytes sent, cycled through; its length a multiple of {@code recordLength}.
     * @param file a file holding {@code pattern} to send with {@code sendfile}, or null to use {@code send}.
     * @param seed key seed.
     */
    KtlsTransfer(final boolean offload, final int recordLength, final byte[] pattern, final FileChannel file,
        final long seed)
    {
        if (pattern.length % recordLength != 0)
        {
            throw new IllegalArgumentException("pattern of " + pattern.length + " bytes is not a multiple of the "
                + recordLength + "-byte record");
        }
        this.offload = offload;
        this.recordLength = recordLength;
        this.pattern = pattern;
        this.file = file;
        final NicConfig d = NicConfig.defaults();
        net = new Network(offload ? d : new NicConfig(d.queues(), d.contextCapacity(), d.contextCacheCapacity(),
            DeviceCapabilities.none(), d.controlLatencyNs(), d.batch(), d.rxResyncMode()), DRIVER,
            LinkFaults.none(), seed);
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
        final CryptoInfo keys = CryptoInfo.random(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128,
            new SplittableRandom(seed));
        sender = new KtlsSocket(net.hostA().transportFor(senderTcp), new TlsCounters());
        receiver = new KtlsSocket(net.hostB().transportFor(receiverTcp), receiverCounters);
        sender.setUlp("tls");
        receiver.setUlp("tls");
        sender.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, keys.toBytes());
        receiver.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, keys.toBytes());
    }

    /**
     * Moves {@code bytes} more application bytes from sender to receiver, each checked.
     *
     * @param bytes how many.
     */
    void transfer(final long bytes)
    {
        target += bytes;
        while (!net.scheduler().runAgents(agents, Long.MAX_VALUE, step))
        {
            // Nothing left to run and the application saw no change: poll once level-triggered.
            final long before = sent + received;
            blockedAtFree = -1;
            blockedAtPending = -1;
            blockedAtReadable = -1;
            if (step() || sent + received != before)
            {
                continue;
            }
            throw new IllegalStateException((offload ? "offload" : "software") + " transfer stalled: " + sent
                + " bytes sent, " + received + " received, target " + target + "; " + senderNic + ", "
                + receiverNic);
        }
    }

    /** @return send path nanoseconds since the last call (send calls and the sender's driver), then zero. */
    long takeSendPathNs()
    {
        final long ns = sendCallsNs + senderDriver.takeBusyNs();
        sendCallsNs = 0;
        return ns;
    }

    /** @return receive path nanoseconds since the last call (recv calls and the receiver's driver), then zero. */
    long takeReceivePathNs()
    {
        final long ns = recvCallsNs + receiverDriver.takeBusyNs();
        recvCallsNs = 0;
        return ns;
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
            final int offset = (int)(sent % pattern.length);
            // After a short write the rest of the record goes in the next call.
            final int length = recordLength - (int)(sent % recordLength);
            long taken;
            final long start = System.nanoTime();
            try
            {
                taken = file != null ? sender.sendfile(file, offset, length)
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
            sendCallsNs += System.nanoTime() - start;
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
            recvCallsNs += System.nanoTime() - start;
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
            final int at = (int)((received + done) % pattern.length);
            final int n = Math.min(length - done, pattern.length - at);
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
    void verify()
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
        final boolean ranAsSaid = offload
            ? sender.txOffloaded() && receiver.rxOffloaded() && encrypted >= target && decrypted >= target
                && deviceRecords > 0 && otherRecords == 0
            : !sender.txOffloaded() && !receiver.rxOffloaded() && encrypted == 0 && decrypted == 0
                && deviceRecords == 0 && otherRecords > 0;
        if (!ranAsSaid)
        {
            throw new IllegalStateException((offload ? "offload" : "software") + " mode did not run as such: TX "
                + "offloaded " + sender.txOffloaded() + ", RX offloaded " + receiver.rxOffloaded() + ", device "
                + "encrypted " + encrypted + " and decrypted " + decrypted + " bytes, receiver opened "
                + deviceRecords + " device and " + otherRecords + " software or mixed records");
        }
    }

    @Override
    public void close()
    {
        net.close();
    }
}
