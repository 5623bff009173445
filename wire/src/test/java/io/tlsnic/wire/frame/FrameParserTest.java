package io.tlsnic.wire.frame;

import java.util.HexFormat;
import java.util.SplittableRandom;

import io.tlsnic.wire.tls.TlsRecordHeader;
import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import static io.tlsnic.wire.frame.CapturedFrames.ILLUSTRATED_TLS13_SYN_LOOPBACK;
import static io.tlsnic.wire.frame.CapturedFrames.WS_TLS13_CCS_AND_APP_DATA;
import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_CLIENT_ALERT;
import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SERVER_FLIGHT;
import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SYN;
import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SYN_ACK;
import static io.tlsnic.wire.frame.CapturedFrames.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameParserTest
{
    private static final String[] CAPTURED_ETHERNET = {
        ZEEK_TLS12_SYN, ZEEK_TLS12_SYN_ACK, ZEEK_TLS12_SERVER_FLIGHT, ZEEK_TLS12_CLIENT_ALERT,
        WS_TLS13_CCS_AND_APP_DATA, ChecksumsTest.IPV6_TCP_FRAME};

    private final FrameParser parser = new FrameParser();

    @Test
    void shouldLocateEveryLayerOfTheClientSyn()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);

        assertEquals(ParseStatus.OK, parser.parseEthernet(frame, 0, frame.capacity()));
        assertEquals(14, parser.l2Length());
        assertEquals(-1, parser.vlanId());
        assertEquals(EthernetHeaderFlyweight.TYPE_IPV4, parser.etherType());
        assertEquals(4, parser.ipVersion());
        assertEquals(14, parser.l3Offset());
        assertEquals(20, parser.l3HeaderLength());
        assertEquals(34, parser.l4Offset());
        assertEquals(40, parser.l4Length());
        assertEquals(40, parser.tcpHeaderLength());
        assertEquals(74, parser.payloadOffset());
        assertEquals(0, parser.payloadLength());
        assertEquals(0xc0a86446, parser.sourceIpv4());
        assertEquals(0xc1639050, parser.destinationIpv4());
        assertEquals(0, parser.sourceAddressHigh());
        assertEquals(0x0000_FFFF_c0a8_6446L, parser.sourceAddressLow());
        assertEquals(0x0000_FFFF_c163_9050L, parser.destinationAddressLow());
        assertEquals(48216, parser.sourcePort());
        assertEquals(443, parser.destinationPort());
        assertEquals(TcpHeaderFlyweight.SYN, parser.tcp().flags());
        assertEquals(0x280742bfL, parser.tcp().sequenceNumber());
        assertEquals(64, parser.ipv4().ttl());
        assertFalse(parser.tcpChecksumValid(), "captured before checksum offload");
    }

    @Test
    void shouldFindTheTlsRecordAtThePayloadOfTheServerFlight()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SERVER_FLIGHT);

        assertEquals(ParseStatus.OK, parser.parseEthernet(frame, 0, frame.capacity()));
        assertEquals(66, parser.payloadOffset());
        assertEquals(274, parser.payloadLength());
        assertTrue(parser.tcpChecksumValid());
        assertTrue(TlsRecordHeader.isPlausible(
            frame, parser.frameIndex() + parser.payloadOffset(), parser.payloadLength()));
        final TlsRecordHeader record = new TlsRecordHeader().wrap(frame, parser.payloadOffset());
        assertEquals(TlsRecordHeader.CONTENT_TYPE_HANDSHAKE, record.contentType());
        assertEquals(218, record.length());
    }

    @Test
    void shouldParseALoopbackPacketAfterItsNullLinkHeader()
    {
        final BytesStore<?, byte[]> packet = store(ILLUSTRATED_TLS13_SYN_LOOPBACK);
        // DLT_NULL: the address family in the capturing host's order, AF_INET = 2.
        assertEquals(2, Integer.reverseBytes(NetworkOrder.getInt(packet, 0)));

        assertEquals(ParseStatus.OK, parser.parseIp(packet, 4, packet.capacity() - 4));
        assertEquals(0, parser.l2Length());
        assertEquals(-1, parser.vlanId());
        assertEquals(4, parser.ipVersion());
        assertEquals(0, parser.l3Offset());
        assertEquals(20, parser.l4Offset());
        assertEquals(44, parser.tcpHeaderLength());
        assertEquals(0, parser.payloadLength());
        assertEquals(0x7f000001, parser.sourceIpv4());
        assertEquals(0x7f000001, parser.destinationIpv4());
        assertEquals(59219, parser.sourcePort());
        assertEquals(8400, parser.destinationPort());
        assertEquals(0x794ea8baL, parser.tcp().sequenceNumber());
        assertEquals(65535, parser.tcp().window());
        // Loopback does not checksum: the IPv4 field is zero. Values computed independently in Python.
        assertEquals(0, parser.ipv4().headerChecksum());
        assertFalse(Checksums.verifyIpv4Header(packet, 4));
        assertEquals(0x3cb6, Checksums.ipv4HeaderChecksum(packet, 4));
        assertEquals(0x9268, Checksums.tcpChecksumIpv4(packet, 4, 24, 44));
    }

    @Test
    void shouldLocateEveryLayerOfAnIpv6Frame()
    {
        final BytesStore<?, byte[]> frame = store(ChecksumsTest.IPV6_TCP_FRAME);

        assertEquals(ParseStatus.OK, parser.parseEthernet(frame, 0, frame.capacity()));
        assertEquals(6, parser.ipVersion());
        assertEquals(EthernetHeaderFlyweight.TYPE_IPV6, parser.etherType());
        assertEquals(40, parser.l3HeaderLength());
        assertEquals(54, parser.l4Offset());
        assertEquals(74, parser.payloadOffset());
        assertEquals(9, parser.payloadLength());
        assertEquals(0x20010db800000000L, parser.sourceAddressHigh());
        assertEquals(1, parser.sourceAddressLow());
        assertEquals(0x20010db800000000L, parser.destinationAddressHigh());
        assertEquals(2, parser.destinationAddressLow());
        assertEquals(49152, parser.sourcePort());
        assertEquals(443, parser.destinationPort());
        assertEquals(0xfffffff0L, parser.tcp().sequenceNumber());
        assertEquals(0x80000001L, parser.tcp().acknowledgmentNumber());
        assertEquals(0x12345, parser.ipv6().flowLabel());
        assertEquals(0, parser.ipv6().trafficClass());
        assertEquals(64, parser.ipv6().hopLimit());
        assertTrue(parser.tcpChecksumValid());
        assertTrue(TlsRecordHeader.isPlausible(frame, parser.payloadOffset(), parser.payloadLength()));
    }

    @Test
    void shouldSkipOneVlanTag()
    {
        final BytesStore<?, byte[]> frame = store(withVlanTag(ZEEK_TLS12_SYN_ACK, "a064"));

        assertEquals(ParseStatus.OK, parser.parseEthernet(frame, 0, frame.capacity()));
        assertEquals(18, parser.l2Length());
        assertEquals(0x064, parser.vlanId());
        assertEquals(5, parser.ethernet().vlanPriority());
        assertEquals(38, parser.l4Offset());
        assertEquals(443, parser.sourcePort());
        assertTrue(parser.tcpChecksumValid());
    }

    @Test
    void shouldIgnoreEthernetPaddingAfterTheIpPacket()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN_ACK + "000000000000");

        assertEquals(ParseStatus.OK, parser.parseEthernet(frame, 0, frame.capacity()));
        assertEquals(40, parser.l4Length());
        assertEquals(0, parser.payloadLength());
        assertTrue(parser.tcpChecksumValid());
    }

    @Test
    void shouldParseAFrameInTheMiddleOfALargerStore()
    {
        final BytesStore<?, byte[]> store = store("ffffffff" + ZEEK_TLS12_SERVER_FLIGHT + "ffffffff");

        assertEquals(ParseStatus.OK, parser.parseEthernet(store, 4, store.capacity() - 8));
        assertEquals(4, parser.frameIndex());
        assertEquals(66, parser.payloadOffset());
        assertEquals(274, parser.payloadLength());
        assertTrue(parser.tcpChecksumValid());
    }

    @Test
    void shouldSayTruncatedForEveryPrefixOfAFrame()
    {
        for (final String hex : CAPTURED_ETHERNET)
        {
            final BytesStore<?, byte[]> frame = store(hex);
            for (int length = 0; length < frame.capacity(); length++)
            {
                assertEquals(ParseStatus.TRUNCATED, parser.parseEthernet(frame, 0, length), "length " + length);
            }
        }
    }

    @Test
    void shouldSayTruncatedForARangeOutsideTheStore()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);

        assertEquals(ParseStatus.TRUNCATED, parser.parseEthernet(frame, 0, 75));
        assertEquals(ParseStatus.TRUNCATED, parser.parseEthernet(frame, -1, 74));
        assertEquals(ParseStatus.TRUNCATED, parser.parseEthernet(frame, 1, 74));
        assertEquals(ParseStatus.TRUNCATED, parser.parseEthernet(frame, 0, -1));
        assertEquals(ParseStatus.TRUNCATED, parser.parseEthernet(frame, Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(ParseStatus.TRUNCATED, parser.parseIp(frame, 74, 0));
        assertEquals(ParseStatus.TRUNCATED, parser.parseIp(frame, 100, 1));
    }

    @Test
    void shouldNameWhatIsWrongWithEachMalformedFrame()
    {
        assertStatus(ParseStatus.NOT_IP, patch(ZEEK_TLS12_SYN, 12, "0806"));
        assertStatus(ParseStatus.NOT_IP, patch(ZEEK_TLS12_SYN, 12, "88a8"));
        // Two stacked 802.1Q tags: only one is supported.
        assertStatus(ParseStatus.NOT_IP, withVlanTag(withVlanTag(ZEEK_TLS12_SYN, "0064"), "0065"));
        assertStatus(ParseStatus.BAD_IP_HEADER, patch(ZEEK_TLS12_SYN, 14, "65"));
        assertStatus(ParseStatus.BAD_IP_HEADER, patch(ZEEK_TLS12_SYN, 14, "44"));
        assertStatus(ParseStatus.BAD_IP_HEADER, patch(ZEEK_TLS12_SYN, 16, "0013"));
        // IHL 15: a 60-byte IP header fills the whole packet and leaves no room for TCP.
        assertStatus(ParseStatus.BAD_TCP_HEADER, patch(ZEEK_TLS12_SYN, 14, "4f"));
        assertStatus(ParseStatus.TRUNCATED, patch(ZEEK_TLS12_SYN, 16, "003d"));
        assertStatus(ParseStatus.NOT_TCP, patch(ZEEK_TLS12_SYN, 23, "11"));
        assertStatus(ParseStatus.IP_FRAGMENT, patch(ZEEK_TLS12_SYN, 20, "6000"));
        assertStatus(ParseStatus.IP_FRAGMENT, patch(ZEEK_TLS12_SYN, 20, "4001"));
        assertStatus(ParseStatus.BAD_TCP_HEADER, patch(ZEEK_TLS12_SYN, 46, "40"));
        assertStatus(ParseStatus.BAD_TCP_HEADER, patch(ZEEK_TLS12_SYN, 46, "b0"));
        assertStatus(ParseStatus.BAD_TCP_HEADER, patch(ZEEK_TLS12_SYN, 16, "0027"));
        assertStatus(ParseStatus.BAD_IP_HEADER, patch(ChecksumsTest.IPV6_TCP_FRAME, 14, "40"));
        assertStatus(ParseStatus.NOT_TCP, patch(ChecksumsTest.IPV6_TCP_FRAME, 20, "00"));
        assertStatus(ParseStatus.TRUNCATED, patch(ChecksumsTest.IPV6_TCP_FRAME, 18, "001e"));
        assertStatus(ParseStatus.BAD_TCP_HEADER, patch(ChecksumsTest.IPV6_TCP_FRAME, 18, "0013"));
        assertEquals(ParseStatus.NOT_IP, parser.parseIp(store("00"), 0, 1));
    }

    @Test
    void shouldKeepTheFieldsOfLayersParsedBeforeTheFailure()
    {
        final BytesStore<?, byte[]> frame = store(patch(ZEEK_TLS12_SYN, 23, "11"));

        assertEquals(ParseStatus.NOT_TCP, parser.parseEthernet(frame, 0, frame.capacity()));
        assertEquals(14, parser.l2Length());
        assertEquals(4, parser.ipVersion());
        assertEquals(0xc0a86446, parser.sourceIpv4());
        assertEquals(-1, parser.l4Offset());
        assertEquals(0, parser.sourcePort());
    }

    @Test
    void shouldNeverThrowNorLookOutsideTheFrameForRandomAndMutatedFrames()
    {
        final SplittableRandom random = new SplittableRandom(0x7150);
        final byte[][] seeds = new byte[CAPTURED_ETHERNET.length + 1][];
        for (int i = 0; i < CAPTURED_ETHERNET.length; i++)
        {
            seeds[i] = HexFormat.of().parseHex(CAPTURED_ETHERNET[i]);
        }
        seeds[CAPTURED_ETHERNET.length] = HexFormat.of().parseHex(withVlanTag(ZEEK_TLS12_SERVER_FLIGHT, "0001"));
        final int guard = 16;
        final byte[] a = new byte[512];
        final byte[] b = new byte[512];
        final BytesStore<?, byte[]> storeA = BytesStore.wrap(a);
        final BytesStore<?, byte[]> storeB = BytesStore.wrap(b);
        final int[] statusCounts = new int[ParseStatus.values().length];

        for (int round = 0; round < 100_000; round++)
        {
            random.nextBytes(a);
            for (int i = 0; i < a.length; i++)
            {
                b[i] = (byte)~a[i];
            }
            final int length;
            if (round % 4 == 0)
            {
                length = random.nextInt(a.length - 2 * guard);
            }
            else
            {
                final byte[] seed = seeds[random.nextInt(seeds.length)];
                length = Math.min(seed.length, a.length - 2 * guard);
                System.arraycopy(seed, 0, a, guard, length);
                mutate(random, a, guard, length);
            }
            final int frameLength = random.nextInt(8) == 0 ? random.nextInt(length + 1) : length;
            System.arraycopy(a, guard, b, guard, frameLength);

            final boolean ip = random.nextInt(8) == 0;
            final String viewA = parse(storeA, guard, frameLength, ip);
            final String viewB = parse(storeB, guard, frameLength, ip);
            assertEquals(viewA, viewB, "round " + round + ": the result depends on bytes outside the frame");
            statusCounts[parser.status().ordinal()]++;
        }
        for (final ParseStatus status : ParseStatus.values())
        {
            assertTrue(statusCounts[status.ordinal()] > 0, "fuzzing never reached " + status);
        }
    }

    private String parse(final BytesStore<?, byte[]> store, final int offset, final int length, final boolean ip)
    {
        final ParseStatus status =
            ip ? parser.parseIp(store, offset, length) : parser.parseEthernet(store, offset, length);
        final StringBuilder view = new StringBuilder().append(status).append(' ')
            .append(parser.l2Length()).append(' ').append(parser.vlanId()).append(' ').append(parser.etherType())
            .append(' ').append(parser.ipVersion()).append(' ').append(parser.l3Offset()).append(' ')
            .append(parser.l3HeaderLength())
            .append(' ').append(parser.l4Offset()).append(' ').append(parser.l4Length()).append(' ')
            .append(parser.tcpHeaderLength()).append(' ').append(parser.payloadOffset()).append(' ')
            .append(parser.payloadLength()).append(' ').append(parser.sourceAddressHigh()).append(' ')
            .append(parser.sourceAddressLow()).append(' ').append(parser.destinationAddressHigh()).append(' ')
            .append(parser.destinationAddressLow()).append(' ').append(parser.sourcePort()).append(' ')
            .append(parser.destinationPort());
        if (status == ParseStatus.OK)
        {
            assertTrue(parser.payloadOffset() + (long)parser.payloadLength() <= length);
            assertEquals(parser.l4Offset() + parser.tcpHeaderLength(), parser.payloadOffset());
            // The flyweights handed out after OK are wrapped over what the parser checked: reading them cannot throw.
            final TcpHeaderFlyweight tcp = parser.tcp();
            assertEquals(parser.tcpHeaderLength(), tcp.headerLength());
            view.append(' ').append(tcp.sequenceNumber()).append(' ').append(tcp.flags()).append(' ')
                .append(parser.tcpChecksumValid());
            final TcpOptionIterator options = new TcpOptionIterator().wrap(tcp);
            int kind;
            while ((kind = options.next()) >= 0)
            {
                view.append(' ').append(kind);
            }
            view.append(' ').append(options.error());
        }
        return view.toString();
    }

    private static void mutate(final SplittableRandom random, final byte[] frame, final int offset, final int length)
    {
        final int mutations = random.nextInt(4);
        for (int m = 0; m < mutations && length > 0; m++)
        {
            final int at = offset + random.nextInt(length);
            switch (random.nextInt(4))
            {
                case 0 -> frame[at] = (byte)random.nextInt(256);
                case 1 -> frame[at] ^= (byte)(1 << random.nextInt(8));
                case 2 -> frame[at] = random.nextBoolean() ? 0 : (byte)0xFF;
                default ->
                {
                    // Header length nibbles and length fields are where parsers go wrong.
                    final int[] hotSpots = {12, 13, 14, 16, 17, 18, 19, 20, 23, 46, 50, 54, 58};
                    final int hot = offset + hotSpots[random.nextInt(hotSpots.length)];
                    if (hot < offset + length)
                    {
                        frame[hot] = (byte)random.nextInt(256);
                    }
                }
            }
        }
    }

    private void assertStatus(final ParseStatus expected, final String hex)
    {
        final BytesStore<?, byte[]> frame = store(hex);
        assertEquals(expected, parser.parseEthernet(frame, 0, frame.capacity()), hex);
    }

    /** @return the frame with {@code hex} written over the bytes at {@code offset}. */
    static String patch(final String frame, final int offset, final String hex)
    {
        return frame.substring(0, 2 * offset) + hex + frame.substring(2 * offset + hex.length());
    }

    /** @return the untagged frame with an 802.1Q tag carrying {@code tciHex} inserted after the MACs. */
    static String withVlanTag(final String frame, final String tciHex)
    {
        return frame.substring(0, 24) + "8100" + tciHex + frame.substring(24);
    }
}
