package io.tlsnic.wire.frame;

import java.util.Arrays;
import java.util.HexFormat;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameBuilderTest
{
    private final FrameBuilder builder = new FrameBuilder();
    private final FrameParser parser = new FrameParser();

    @Test
    void shouldRebuildTheCapturedClientSynByteForByteWithItsChecksumCompleted()
    {
        final byte[] bytes = new byte[74];
        final BytesStore<?, byte[]> store = BytesStore.wrap(bytes);
        builder.ethernet(0x00163ee0137dL, 0x00163efddbe1L)
            .ipv4(0xc0a86446, 0xc1639050)
            .ports(48216, 443)
            .ttl(64)
            .ipIdentification(0x6115);
        builder.options().mss(1460).sackPermitted().timestamps(0x7d4e6cccL, 0).nop().windowScale(7);

        assertEquals(74, builder.headerLength());
        assertEquals(74, builder.write(store, 0, 0x280742bfL, 0, TcpHeaderFlyweight.SYN, 64240, 0));

        // The capture holds the pseudo-header sum 76d1 (taken before checksum offload); the full checksum is c377.
        assertEquals(FrameParserTest.patch(ZEEK_TLS12_SYN, 50, "c377"), HexFormat.of().formatHex(bytes));
    }

    @Test
    void shouldRoundTripAnIpv4SegmentWithPayloadThroughTheParser()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[200]);
        builder.ethernet(0x020000000002L, 0x020000000001L).ipv4(0x0a000001, 0x0a000002).ports(40000, 443);
        builder.options().nop().nop().timestamps(1000, 2000);
        final int headerLength = builder.headerLength();
        assertEquals(14 + 20 + 32, headerLength);
        final byte[] payload = HexFormat.of().parseHex("1703030003616263");
        for (int i = 0; i < payload.length; i++)
        {
            store.writeByte(3 + headerLength + i, payload[i]);
        }

        final int frameLength = builder.write(
            store, 3, 0x1_0000_0005L, 77, TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.ACK, 501, payload.length);

        assertEquals(headerLength + payload.length, frameLength);
        assertEquals(ParseStatus.OK, parser.parseEthernet(store, 3, frameLength));
        assertEquals(4, parser.ipVersion());
        assertEquals(0x0a000001, parser.sourceIpv4());
        assertEquals(0x0a000002, parser.destinationIpv4());
        assertEquals(40000, parser.sourcePort());
        assertEquals(443, parser.destinationPort());
        assertEquals(headerLength, parser.payloadOffset());
        assertEquals(payload.length, parser.payloadLength());
        assertEquals(5, parser.tcp().sequenceNumber(), "sequence numbers are stored modulo 2^32");
        assertEquals(77, parser.tcp().acknowledgmentNumber());
        assertEquals(TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.ACK, parser.tcp().flags());
        assertEquals(501, parser.tcp().window());
        assertTrue(parser.ipv4().dontFragment());
        assertTrue(Checksums.verifyIpv4Header(store, 3 + 14));
        assertTrue(parser.tcpChecksumValid());
        assertEquals(
            ReferenceChecksum.tcpIpv4(store.underlyingObject(), 3 + 14, 3 + 34, 32 + payload.length),
            parser.tcp().checksum());
    }

    @Test
    void shouldWriteHeadersAloneForAPayloadKeptElsewhereLeavingTheTcpChecksumToTheDevice()
    {
        builder.ethernet(0x020000000002L, 0x020000000001L).ipv4(0x0a000001, 0x0a000002).ports(40000, 443)
            .ipIdentification(9);
        builder.options().nop().nop().timestamps(1000, 2000);
        final int headerLength = builder.headerLength();
        final byte[] payload = HexFormat.of().parseHex("17030300106162636465666768696a6b6c6d6e6f70");
        final byte[] headers = new byte[headerLength];

        assertEquals(headerLength, builder.writeHeaders(BytesStore.wrap(headers), 0, 5, 77,
            TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.ACK, 501, payload.length), "exactly the headers' room");

        builder.ipIdentification(9);
        final byte[] whole = new byte[headerLength + payload.length];
        System.arraycopy(payload, 0, whole, headerLength, payload.length);
        builder.write(BytesStore.wrap(whole), 0, 5, 77, TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.ACK, 501,
            payload.length);
        final int checksumAt = 14 + 20 + 16;
        assertEquals(0, headers[checksumAt] | headers[checksumAt + 1], "TCP checksum left zero");
        whole[checksumAt] = 0;
        whole[checksumAt + 1] = 0;
        assertEquals(HexFormat.of().formatHex(Arrays.copyOf(whole, headerLength)), HexFormat.of().formatHex(headers),
            "lengths count the payload; the IPv4 header checksum is filled in");

        System.arraycopy(headers, 0, whole, 0, headerLength);
        final BytesStore<?, byte[]> frame = BytesStore.wrap(whole);
        Checksums.writeTcpIpv4(frame, 14, 34, whole.length - 34);
        assertEquals(ParseStatus.OK, parser.parseEthernet(frame, 0, whole.length));
        assertTrue(parser.tcpChecksumValid(), "the device's sum over headers and payload completes the frame");
    }

    @Test
    void shouldRoundTripAVlanTaggedIpv6SegmentInOffHeapMemoryAndReleaseIt()
    {
        final BytesStore<?, Void> store = BytesStore.nativeStoreWithFixedCapacity(256);
        try
        {
            builder.ethernet(0x020000000002L, 0x020000000001L)
                .vlan(0x2064)
                .ipv6(0x20010db800000000L, 1, 0x20010db800000000L, 2)
                .ports(49152, 443)
                .ttl(255);
            builder.options().mss(1440).sackPermitted().windowScale(9);
            final int headerLength = builder.headerLength();
            assertEquals(18 + 40 + 32, headerLength);
            for (int i = 0; i < 33; i++)
            {
                store.writeByte(headerLength + i, (byte)(0x41 + i));
            }

            final int frameLength = builder.write(store, 0, 0xFFFF_FFFFL, 0, TcpHeaderFlyweight.SYN, 65535, 33);

            assertEquals(ParseStatus.OK, parser.parseEthernet(store, 0, frameLength));
            assertEquals(18, parser.l2Length());
            assertEquals(0x064, parser.vlanId());
            assertEquals(1, parser.ethernet().vlanPriority());
            assertEquals(6, parser.ipVersion());
            assertEquals(0x20010db800000000L, parser.sourceAddressHigh());
            assertEquals(2, parser.destinationAddressLow());
            assertEquals(255, parser.ipv6().hopLimit());
            assertEquals(0, parser.ipv6().flowLabel());
            assertEquals(33, parser.payloadLength());
            assertEquals(0xFFFF_FFFFL, parser.tcp().sequenceNumber());
            assertTrue(parser.tcpChecksumValid());
            final TcpOptionIterator options = new TcpOptionIterator().wrap(parser.tcp());
            assertEquals(TcpOptionIterator.KIND_MSS, options.next());
            assertEquals(1440, options.mss());
            assertEquals(TcpOptionIterator.KIND_SACK_PERMITTED, options.next());
            assertEquals(TcpOptionIterator.KIND_WINDOW_SCALE, options.next());
            assertEquals(9, options.windowScale());
            assertEquals(TcpOptionIterator.END, options.next());
        }
        finally
        {
            store.releaseLast();
        }
        assertEquals(0, store.refCount());
    }

    @Test
    void shouldOverwriteStaleBytesWhenReusingABuffer()
    {
        final byte[] bytes = new byte[128];
        Arrays.fill(bytes, (byte)0xFF);
        final BytesStore<?, byte[]> store = BytesStore.wrap(bytes);
        builder.ethernet(1, 2).ipv4(3, 4).ports(5, 6);
        builder.options();

        final int frameLength = builder.write(store, 0, 1, 2, TcpHeaderFlyweight.ACK, 100, 0);

        assertEquals(54, frameLength);
        assertEquals(ParseStatus.OK, parser.parseEthernet(store, 0, frameLength));
        assertEquals(-1, parser.vlanId());
        assertEquals(0, parser.ipv4().tos());
        assertEquals(0, parser.ipv4().fragmentOffset());
        assertEquals(5, parser.tcp().dataOffset());
        assertEquals(0, parser.tcp().urgentPointer());
        assertEquals(0, bytes[46] & 0x0F, "reserved TCP bits are cleared");
        assertTrue(parser.tcpChecksumValid());
    }

    @Test
    void shouldRefuseAFrameThatDoesNotFitTheStore()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[60]);
        builder.ethernet(1, 2).ipv4(3, 4).ports(5, 6);

        final IndexOutOfBoundsException e = assertThrows(
            IndexOutOfBoundsException.class, () -> builder.write(store, 0, 0, 0, TcpHeaderFlyweight.ACK, 0, 10));
        assertEquals("frame of 64 bytes at offset 0 does not fit in store [0, 60)", e.getMessage());
    }
}
