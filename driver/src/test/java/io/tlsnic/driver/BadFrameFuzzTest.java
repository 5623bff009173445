package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Bad input at the device's port: frames with bad checksums, truncated headers, unknown flows, and garbage where
 * a TLS header should be, mixed into a live offloaded flow. Nothing may throw out of an agent's doWork(); bad
 * frames are counted and either dropped or delivered unmodified, and the live flow's data still arrives exact.
 */
class BadFrameFuzzTest
{
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldSurvive100kRandomAndMutatedFramesAndKeepTheLiveFlowExact() throws IOException
    {
        try (NicHosts net = new NicHosts(NicConfig.defaults(), LinkFaults.none(), 3, true))
        {
            final OffloadTransferTest.Session s = new OffloadTransferTest.Session(
                net, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 1 << 20, 5, dir, true);
            s.transfer(60 * SECOND);
            final List<byte[]> real = new ArrayList<>(net.tapped);
            assertTrue(real.size() > 100);

            final SplittableRandom random = new SplittableRandom(42);
            final long before = net.nicB.counters().get(NicCounters.RX_PACKETS);
            for (int i = 0; i < 100_000; i++)
            {
                final byte[] frame = mutate(real.get(random.nextInt(real.size())), random);
                net.nicB.receiveFrame(frame, frame.length);
                if (i % 64 == 63)
                {
                    net.runUntil(() -> net.nicB.pendingReceive() == 0, net.scheduler.nowNs() + SECOND);
                }
            }
            net.runUntil(() -> net.nicB.pendingReceive() == 0, net.scheduler.nowNs() + SECOND);
            assertEquals(0, net.nicB.pendingReceive());
            assertTrue(net.nicB.counters().get(NicCounters.RX_PACKETS) - before
                + net.nicB.counters().get(NicCounters.RX_DROPPED_NO_BUFFER) >= 99_000, "frames went through");
            assertTrue(net.nicB.counters().get(NicCounters.RX_CSUM_BAD) > 10_000, "bad checksums counted");

            // The live flow still works after the storm: another megabyte, exact.
            final OffloadTransferTest.Session after = new OffloadTransferTest.Session(
                net, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 1 << 20, 6, dir, true);
            after.transfer(60 * SECOND);
        }
    }

    /** Random bytes, truncations, bit flips, or garbage over the TCP payload (checksum then fixed or not). */
    private static byte[] mutate(final byte[] original, final SplittableRandom random)
    {
        final int kind = random.nextInt(6);
        switch (kind)
        {
            case 0:
            {
                final byte[] junk = new byte[random.nextInt(1600)];
                random.nextBytes(junk);
                return junk;
            }
            case 1:
                return java.util.Arrays.copyOf(original, random.nextInt(original.length + 1));
            case 2:
            {
                final byte[] f = original.clone();
                for (int i = 0; i < 1 + random.nextInt(4); i++)
                {
                    f[random.nextInt(f.length)] ^= (byte)(1 << random.nextInt(8));
                }
                return f;
            }
            case 3:
            {
                // Garbage where the TLS header should be, with a correct TCP checksum: reaches the engine.
                final byte[] f = original.clone();
                if (f.length > 66)
                {
                    for (int i = 54; i < Math.min(f.length, 80); i++)
                    {
                        f[i] = (byte)random.nextInt();
                    }
                    fixTcpChecksum(f);
                }
                return f;
            }
            case 4:
            {
                // An unknown flow: other ports, correct checksum.
                final byte[] f = original.clone();
                if (f.length >= 54)
                {
                    f[34] = (byte)random.nextInt();
                    f[35] = (byte)random.nextInt();
                    fixTcpChecksum(f);
                }
                return f;
            }
            default:
                return original.clone();
        }
    }

    private static void fixTcpChecksum(final byte[] f)
    {
        final io.tlsnic.wire.frame.FrameParser p = new io.tlsnic.wire.frame.FrameParser();
        final net.openhft.chronicle.bytes.BytesStore<?, byte[]> store = net.openhft.chronicle.bytes.BytesStore.wrap(f);
        if (p.parseEthernet(store, 0, f.length) == io.tlsnic.wire.frame.ParseStatus.OK && p.ipVersion() == 4)
        {
            io.tlsnic.wire.frame.Checksums.writeTcpIpv4(store, p.l3Offset(), p.l4Offset(), p.l4Length());
        }
    }
}
