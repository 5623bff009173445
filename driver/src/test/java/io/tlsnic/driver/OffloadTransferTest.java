package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.testing.AppTraffic;
import io.tlsnic.stack.tls.Ktls;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Two hosts with stack, driver and NIC each, over a lossless link, kTLS offloaded to the NICs: plaintext arrives
 * exact, every record is encrypted by the TX device and decrypted by the RX device, the wire is identical with
 * offload on and off, and no frame of an offloaded flow carries plaintext.
 */
class OffloadTransferTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final int[] SIZES = {1, 100, 1024, 16384, 100_000, 1 << 20};

    @TempDir
    Path dir;

    static Stream<Arguments> offloadable()
    {
        return Stream.of(TlsVersion.values()).flatMap(v ->
            Stream.of(TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256).map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("offloadable")
    void shouldMove64MiBEachWayThroughTheDevicesWithEveryRecordOffloaded(final TlsVersion v, final TlsCipher c)
        throws IOException
    {
        try (NicHosts net = new NicHosts(NicConfig.defaults(), LinkFaults.none(), 11, false))
        {
            final Session s = new Session(net, v, c, 64 << 20, 7, dir, true);
            s.transfer(600 * SECOND);
            assertTrue(s.client.txOffloaded() && s.client.rxOffloaded(), "client offloaded both ways");
            assertTrue(s.server.txOffloaded() && s.server.rxOffloaded(), "server offloaded both ways");
            for (final TlsCounters counters : new TlsCounters[] {s.countersA, s.countersB})
            {
                assertEquals(0, counters.get(TlsStat.TLS_RX_RECORD_SW), "records decrypted in software");
                assertEquals(0, counters.get(TlsStat.TLS_RX_RECORD_MIXED), "mixed records");
                assertTrue(counters.get(TlsStat.TLS_RX_RECORD_DEVICE) > 100);
            }
            assertEquals(s.recordBytesUp(), net.nicB.counters().get(NicCounters.RX_TLS_DECRYPTED_BYTES),
                "the server's device decrypted every record byte the client sent");
            assertEquals(s.recordBytesDown(), net.nicA.counters().get(NicCounters.RX_TLS_DECRYPTED_BYTES),
                "the client's device decrypted every record byte the server sent");
            assertEquals(s.recordBytesUp(), net.nicA.counters().get(NicCounters.TX_TLS_ENCRYPTED_BYTES));
            assertEquals(s.recordBytesDown(), net.nicB.counters().get(NicCounters.TX_TLS_ENCRYPTED_BYTES));
            assertEquals(0, net.nicA.counters().get(NicCounters.TX_TLS_OOO) + net.nicB.counters().get(
                NicCounters.TX_TLS_OOO));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("offloadable")
    void shouldPutTheSameBytesOnTheWireWithOffloadOnAndOffAndNeverThePlaintext(final TlsVersion v,
        final TlsCipher c) throws IOException
    {
        final Wire on = capture(v, c, DeviceCapabilities.defaults(), true);
        final Wire off = capture(v, c, DeviceCapabilities.none(), false);
        assertArrayEquals(off.up, on.up, "client to server TCP payload");
        assertArrayEquals(off.down, on.down, "server to client TCP payload");
        assertTrue(on.up.length > 4 << 20 && on.down.length > 4 << 20);

        // Every 8-byte window of the application data, aligned in it; any plaintext run of 15 bytes or more in a
        // frame contains one of them.
        final Set<Long> plaintext = new HashSet<>();
        for (final byte[] data : List.of(on.session.up.data(), on.session.down.data()))
        {
            final BytesStore<?, byte[]> store = BytesStore.wrap(data);
            for (int i = 0; i + 8 <= data.length; i += 8)
            {
                plaintext.add(store.readLong(i));
            }
        }
        int frames = 0;
        for (final byte[] frame : on.frames)
        {
            final BytesStore<?, byte[]> store = BytesStore.wrap(frame);
            for (int i = 0; i + 8 <= frame.length; i++)
            {
                assertFalse(plaintext.contains(store.readLong(i)), "plaintext in a frame on the wire");
            }
            frames++;
        }
        assertTrue(frames > 6000, "frames scanned: " + frames);
    }

    @Test
    void shouldRunChaCha20AndSocketsBeyondTheContextTableInSoftwareAndSaySo() throws IOException
    {
        final NicConfig twoContexts = new NicConfig(1, 2, 16, DeviceCapabilities.defaults(), 2_000, 64);
        try (NicHosts net = new NicHosts(twoContexts, LinkFaults.none(), 5, false))
        {
            final Session first = new Session(net, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 1 << 20, 1, dir, true);
            final Session second = new Session(net, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 1 << 20, 2, dir, true);
            final Session chacha = new Session(net, TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, 1 << 20, 3, dir,
                true);
            first.transfer(600 * SECOND);
            second.transfer(600 * SECOND);
            chacha.transfer(600 * SECOND);
            assertTrue(first.client.txOffloaded() && first.client.rxOffloaded());
            assertFalse(second.client.txOffloaded() || second.client.rxOffloaded(), "table full on host a");
            assertFalse(chacha.client.txOffloaded() || chacha.server.rxOffloaded(), "ChaCha20 is not offloaded");
            assertEquals(1, first.countersA.get(TlsStat.TLS_TX_DEVICE));
            assertEquals(1, second.countersA.get(TlsStat.TLS_TX_SW));
            assertEquals(1, chacha.countersA.get(TlsStat.TLS_TX_SW));
            assertEquals(1, chacha.countersB.get(TlsStat.TLS_RX_SW));
            assertEquals(2, net.driverA.counter(DriverCounter.TLS_ADD_NO_SPACE),
                "the second connection's TX and RX found the table full");
            assertEquals(1, second.countersA.get(TlsStat.TLS_RX_SW));
            assertEquals(0, chacha.countersA.get(TlsStat.TLS_TX_DEVICE) + chacha.countersB.get(TlsStat.TLS_RX_DEVICE));
        }
    }

    @Test
    void shouldSpreadOffloadedFlowsOverFourQueuesAndKeepEveryOneExact() throws IOException
    {
        final NicConfig fourQueues = new NicConfig(4, 256, 64, DeviceCapabilities.defaults(), 2_000, 64);
        try (NicHosts net = new NicHosts(fourQueues, LinkFaults.none(), 13, false))
        {
            final List<Session> sessions = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                sessions.add(new Session(net, i % 2 == 0 ? TlsVersion.TLS_1_3 : TlsVersion.TLS_1_2,
                    i % 3 == 0 ? TlsCipher.AES_GCM_256 : TlsCipher.AES_GCM_128, 512 << 10, 100 + i, dir, true));
            }
            final IOException[] failure = new IOException[1];
            assertTrue(net.runUntil(() ->
            {
                boolean all = true;
                for (final Session s : sessions)
                {
                    try
                    {
                        s.up.write(s.client);
                        s.down.write(s.server);
                    }
                    catch (final IOException e)
                    {
                        failure[0] = e;
                        return true;
                    }
                    s.up.read(s.server);
                    s.down.read(s.client);
                    all &= s.up.allReceived() && s.down.allReceived();
                }
                return all;
            }, net.scheduler.nowNs() + 600 * SECOND));
            if (failure[0] != null)
            {
                throw failure[0];
            }
            long expected = 0;
            for (final Session s : sessions)
            {
                assertTrue(s.client.rxOffloaded() && s.server.rxOffloaded());
                expected += s.recordBytesUp();
                assertEquals(0, s.countersB.get(TlsStat.TLS_RX_RECORD_SW) + s.countersB.get(TlsStat.TLS_RX_RECORD_MIXED));
            }
            assertEquals(expected, net.nicB.counters().get(NicCounters.RX_TLS_DECRYPTED_BYTES));
            int queuesUsed = 0;
            for (int q = 0; q < 4; q++)
            {
                final long head = net.nicB.registers().read(io.tlsnic.nic.reg.NicRegisters.queue(q,
                    io.tlsnic.nic.reg.NicRegisters.RX_HEAD));
                queuesUsed += head > 0 ? 1 : 0;
            }
            assertTrue(queuesUsed >= 3, "RSS spread 8 flows over " + queuesUsed + " of 4 queues");
        }
    }

    @Test
    void shouldHoldPacketsUntilALaggingDeviceHasInstalledTheContext() throws IOException
    {
        final NicConfig slow = new NicConfig(1, 64, 16, DeviceCapabilities.defaults(), 500_000, 64);
        try (NicHosts net = new NicHosts(slow, LinkFaults.none(), 9, false))
        {
            final Session s = new Session(net, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 2 << 20, 4, dir, true);
            s.transfer(600 * SECOND);
            assertTrue(net.driverA.counter(DriverCounter.TX_HELD_FOR_INSTALL) > 0, "packets waited for the install");
            assertEquals(s.recordBytesUp(), net.nicA.counters().get(NicCounters.TX_TLS_ENCRYPTED_BYTES));
        }
    }

    private Wire capture(final TlsVersion v, final TlsCipher c, final DeviceCapabilities capabilities,
        final boolean expectOffload) throws IOException
    {
        final NicConfig config = new NicConfig(1, 64, 64, capabilities, 2_000, 64);
        try (NicHosts net = new NicHosts(config, LinkFaults.none(), 21, true))
        {
            final Session s = new Session(net, v, c, 4 << 20, 33, dir, expectOffload);
            s.transfer(600 * SECOND);
            assertEquals(expectOffload, s.client.txOffloaded());
            final TreeMap<Long, byte[]> up = new TreeMap<>();
            final TreeMap<Long, byte[]> down = new TreeMap<>();
            final FrameParser parser = new FrameParser();
            for (final byte[] frame : net.tapped)
            {
                if (parser.parseEthernet(BytesStore.wrap(frame), 0, frame.length) != ParseStatus.OK
                    || parser.payloadLength() == 0)
                {
                    continue;
                }
                final byte[] payload = java.util.Arrays.copyOfRange(frame, parser.payloadOffset(),
                    parser.payloadOffset() + parser.payloadLength());
                final long seq = parser.tcp().sequenceNumber();
                (parser.sourcePort() == s.clientConnection.localPort() ? up : down).put(seq, payload);
            }
            return new Wire(concat(up), concat(down), net.tapped, s);
        }
    }

    private static byte[] concat(final TreeMap<Long, byte[]> bySeq)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        bySeq.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    private record Wire(byte[] up, byte[] down, List<byte[]> frames, Session session)
    {
    }

    /** One TCP connection between the hosts with kTLS on both ends and traffic both ways. */
    static final class Session
    {
        final NicHosts net;
        final TcpConnection clientConnection;
        final TcpConnection serverConnection;
        final TlsCounters countersA = new TlsCounters();
        final TlsCounters countersB = new TlsCounters();
        final KtlsSocket client;
        final KtlsSocket server;
        final AppTraffic up;
        final AppTraffic down;
        private final long clientStartSeq;
        private final long serverStartSeq;

        Session(final NicHosts net, final TlsVersion v, final TlsCipher c, final int bytes, final long seed,
            final Path dir, final boolean offloadWanted) throws IOException
        {
            this(net, v, c, bytes, seed, dir, offloadWanted, SIZES);
        }

        Session(final NicHosts net, final TlsVersion v, final TlsCipher c, final int bytes, final long seed,
            final Path dir, final boolean offloadWanted, final int[] sizes) throws IOException
        {
            this(net, v, c, bytes, bytes, seed, dir, sizes);
        }

        Session(final NicHosts net, final TlsVersion v, final TlsCipher c, final int upBytes, final int downBytes,
            final long seed, final Path dir, final int[] sizes) throws IOException
        {
            this.net = net;
            clientConnection = net.connect(4430 + (int)Math.floorMod(seed, 50_000L), TcpConfig.defaults());
            assertTrue(net.runUntil(() -> clientConnection.state() == TcpState.ESTABLISHED && net.server != null
                && net.server.state() == TcpState.ESTABLISHED, 10 * SECOND));
            serverConnection = net.server;
            final SplittableRandom random = new SplittableRandom(seed);
            final CryptoInfo upKeys = CryptoInfo.random(v, c, random);
            final CryptoInfo downKeys = CryptoInfo.random(v, c, random);
            client = new KtlsSocket(net.a.transportFor(clientConnection), countersA);
            server = new KtlsSocket(net.b.transportFor(serverConnection), countersB);
            client.setUlp("tls");
            server.setUlp("tls");
            client.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, upKeys.toBytes());
            client.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, downKeys.toBytes());
            server.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, downKeys.toBytes());
            server.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, upKeys.toBytes());
            clientStartSeq = clientConnection.writeSeq() & 0xFFFF_FFFFL;
            serverStartSeq = serverConnection.writeSeq() & 0xFFFF_FFFFL;
            up = new AppTraffic(upBytes, seed * 2 + 1, dir, sizes);
            down = new AppTraffic(downBytes, seed * 2 + 2, dir, sizes);
        }

        void transfer(final long limitNs) throws IOException
        {
            final IOException[] failure = new IOException[1];
            final boolean done = net.runUntil(() ->
            {
                try
                {
                    up.write(client);
                    down.write(server);
                }
                catch (final IOException e)
                {
                    failure[0] = e;
                    return true;
                }
                up.read(server);
                down.read(client);
                return up.allReceived() && down.allReceived();
            }, net.scheduler.nowNs() + limitNs);
            up.close();
            down.close();
            if (failure[0] != null)
            {
                throw failure[0];
            }
            assertTrue(done, "transfer done: up " + up.received() + "/" + up.length() + ", down " + down.received()
                + "/" + down.length() + " at " + net.scheduler.nowNs() + " ns");
        }

        long clientStartSeq()
        {
            return clientStartSeq;
        }

        long recordBytesUp()
        {
            return ((clientConnection.writeSeq() & 0xFFFF_FFFFL) - clientStartSeq) & 0xFFFF_FFFFL;
        }

        long recordBytesDown()
        {
            return ((serverConnection.writeSeq() & 0xFFFF_FFFFL) - serverStartSeq) & 0xFFFF_FFFFL;
        }

    }
}
