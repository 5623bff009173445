package io.tlsnic.nic.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import net.openhft.chronicle.bytes.BytesStore;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.wire.frame.FrameBuilder;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;
import io.tlsnic.wire.frame.TcpHeaderFlyweight;

/**
 * TCP segmentation, cut in place in the super-frame's buffer: every frame is byte for byte the frame a host would
 * have built for its slice of the payload (headers copied, seq, length and IPv4 identification advanced, FIN and PSH
 * only on the last, CWR only on the first, both checksums right), for payloads ending on, before and after an MSS
 * boundary, IPv4 and IPv6, and an MSS smaller than the headers (built frame by frame instead).
 */
class TsoTest
{
    private static final long SEQ = 0xFFFF_F000L; // the frames' seq wraps past 2^32
    private static final int SUPER_FLAGS = TcpHeaderFlyweight.ACK | TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.FIN
        | TcpHeaderFlyweight.CWR;

    @ParameterizedTest(name = "IPv{0}, {1} payload bytes, MSS {2}")
    @CsvSource({
        "4, 4344, 1448", // three full frames
        "4, 4345, 1448", // one byte into a fourth
        "4, 4343, 1448", // the last frame one byte short
        "4, 65000, 1448",
        "4, 1449, 1448",
        "6, 4345, 1428",
        "6, 2857, 1428",
        "4, 100, 20", // MSS below the 54 header bytes: each frame built on its own
        "6, 75, 7",
    })
    void shouldCutTheSuperFrameIntoTheFramesAHostWouldHaveBuilt(final int ipVersion, final int payload,
        final int mss)
    {
        final byte[] data = new byte[payload];
        new SplittableRandom(payload * 31L + mss).nextBytes(data);
        final byte[] superFrame = new byte[NicConfig.MAX_TX_FRAME];
        final int header = builder(ipVersion).headerLength();
        System.arraycopy(data, 0, superFrame, header, payload);
        final int length = builder(ipVersion).write(BytesStore.wrap(superFrame), 0, SEQ, 7, SUPER_FLAGS, 512, payload);
        final FrameParser parser = new FrameParser();
        final BytesStore<?, byte[]> store = BytesStore.wrap(superFrame);
        assertEquals(ParseStatus.OK, parser.parseEthernet(store, 0, length));

        final List<byte[]> frames = new ArrayList<>();
        final int sent = new Tso().segment(parser, superFrame, store, mss,
            (frame, offset, frameLength) -> frames.add(Arrays.copyOfRange(frame, offset, offset + frameLength)));

        final int expectedFrames = (payload + mss - 1) / mss;
        assertEquals(expectedFrames, sent);
        assertEquals(expectedFrames, frames.size());
        final FrameBuilder expected = builder(ipVersion);
        for (int k = 0; k < expectedFrames; k++)
        {
            final int p = k * mss;
            final int n = Math.min(mss, payload - p);
            final byte[] want = new byte[header + n];
            System.arraycopy(data, p, want, header, n);
            int flags = TcpHeaderFlyweight.ACK;
            flags |= k == 0 ? TcpHeaderFlyweight.CWR : 0;
            flags |= k == expectedFrames - 1 ? TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.FIN : 0;
            expected.write(BytesStore.wrap(want), 0, SEQ + p, 7, flags, 512, n);
            assertArrayEquals(want, frames.get(k), "frame " + k);
            final FrameParser check = new FrameParser();
            assertEquals(ParseStatus.OK, check.parseEthernet(BytesStore.wrap(frames.get(k)), 0, want.length));
            assertTrue(check.tcpChecksumValid(), "frame " + k + " TCP checksum");
        }
    }

    private static FrameBuilder builder(final int ipVersion)
    {
        final FrameBuilder b = new FrameBuilder().ethernet(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L);
        if (ipVersion == 4)
        {
            b.ipv4(0x0A00_0001, 0x0A00_0002).ipIdentification(100);
        }
        else
        {
            b.ipv6(0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 2);
        }
        return b.ports(40000, 443);
    }
}
