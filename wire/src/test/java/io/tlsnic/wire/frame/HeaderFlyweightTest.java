package io.tlsnic.wire.frame;

import java.util.HexFormat;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SYN;
import static io.tlsnic.wire.frame.CapturedFrames.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Setters, neighbouring bits and the messages of bounds errors. */
class HeaderFlyweightTest
{
    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
    private final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();

    @Test
    void shouldNameTheFieldOffsetAndAvailableLengthWhenTheTcpDataOffsetOverruns()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);
        tcp.wrap(frame, 34, 40).dataOffset(15);

        final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, tcp::headerLength);
        assertEquals("TCP data offset 15 words (60 bytes) exceeds 40 bytes available at offset 34", e.getMessage());
        tcp.dataOffset(4);
        final IllegalArgumentException below = assertThrows(IllegalArgumentException.class, tcp::headerLength);
        assertEquals(
            "TCP data offset 4 words (16 bytes) is below the minimum 5 words (20 bytes) at offset 34", below.getMessage());
    }

    @Test
    void shouldNameTheFieldWhenTheIpv4IhlOverruns()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);
        ipv4.wrap(frame, 14, 40).ihl(11);

        final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, ipv4::headerLength);
        assertEquals("IPv4 IHL 11 words (44 bytes) exceeds 40 bytes available at offset 14", e.getMessage());
    }

    @Test
    void shouldRefuseToWrapAHeaderThatDoesNotFit()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);

        assertEquals(
            "TCP header needs 20 bytes but 19 bytes are available at offset 55",
            assertThrows(IndexOutOfBoundsException.class, () -> tcp.wrap(frame, 55)).getMessage());
        assertEquals(
            "IPv6 header needs 40 bytes but 39 bytes are available at offset 35",
            assertThrows(IndexOutOfBoundsException.class, () -> ipv6.wrap(frame, 35)).getMessage());
        assertEquals(
            "IPv4 packet of 80 bytes at offset 14 does not fit in store [0, 74)",
            assertThrows(IndexOutOfBoundsException.class, () -> ipv4.wrap(frame, 14, 80)).getMessage());
        assertEquals(
            "Ethernet header needs 14 bytes but 13 bytes are available at offset 0",
            assertThrows(IndexOutOfBoundsException.class, () -> ethernet.wrap(frame, 0, 13)).getMessage());
    }

    @Test
    void shouldRefuseVlanFieldsOfAnUntaggedFrameAndATagThatDoesNotFit()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);
        ethernet.wrap(frame, 0);
        assertEquals(
            "Ethernet frame at offset 0 has no 802.1Q tag (type 0x800)",
            assertThrows(IllegalStateException.class, ethernet::vlanId).getMessage());

        ethernet.wrap(frame, 0, 16);
        assertEquals(
            "Ethernet 802.1Q tagged header needs 18 bytes but 16 bytes are available at offset 0",
            assertThrows(IndexOutOfBoundsException.class, () -> ethernet.vlanTag(100)).getMessage());
    }

    @Test
    void shouldWriteAndReadEveryEthernetField()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[18]);
        ethernet.wrap(store, 0)
            .destinationMac(0xffffffffffffL)
            .sourceMac(0x0123456789abL)
            .vlanTag((3 << 13) | (1 << 12) | 4094)
            .etherType(EthernetHeaderFlyweight.TYPE_IPV6);

        assertEquals("ffffffffffff0123456789ab81007ffe86dd", HexFormat.of().formatHex(store.underlyingObject()));
        assertTrue(ethernet.isVlanTagged());
        assertEquals(4094, ethernet.vlanId());
        assertEquals(3, ethernet.vlanPriority());
        assertEquals(EthernetHeaderFlyweight.TYPE_IPV6, ethernet.etherType());
        assertEquals(18, ethernet.headerLength());
    }

    @Test
    void shouldWriteEachIpv4FieldWithoutDisturbingItsNeighbours()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[24]);
        ipv4.wrap(store, 0)
            .version(4).ihl(6).tos(0xb8).totalLength(65535).identification(0xbeef)
            .flags(Ipv4HeaderFlyweight.FLAG_DF | Ipv4HeaderFlyweight.FLAG_MF).fragmentOffset(0x1fff)
            .ttl(1).protocol(6).headerChecksum(0).sourceAddress(0xc0000201).destinationAddress(0xffffffff);
        ipv4.flags(Ipv4HeaderFlyweight.FLAG_MF);

        assertEquals(4, ipv4.version());
        assertEquals(6, ipv4.ihl());
        assertEquals(24, ipv4.headerLength());
        assertEquals(4, ipv4.optionsLength());
        assertEquals(46, ipv4.dscp());
        assertEquals(0, ipv4.ecn());
        assertEquals(65535, ipv4.totalLength());
        assertEquals(0xbeef, ipv4.identification());
        assertFalse(ipv4.dontFragment());
        assertTrue(ipv4.moreFragments());
        assertEquals(0x1fff, ipv4.fragmentOffset());
        assertEquals(1, ipv4.ttl());
        assertEquals("192.0.2.1", Ipv4HeaderFlyweight.toDottedQuad(ipv4.sourceAddress()));
        assertEquals("255.255.255.255", Ipv4HeaderFlyweight.toDottedQuad(ipv4.destinationAddress()));
        Checksums.writeIpv4HeaderChecksum(store, 0);
        assertTrue(Checksums.verifyIpv4Header(store, 0));
        final byte[] withoutChecksum = store.underlyingObject().clone();
        withoutChecksum[10] = 0;
        withoutChecksum[11] = 0;
        assertEquals(~ReferenceChecksum.sum(withoutChecksum, 0, 24) & 0xFFFF, ipv4.headerChecksum());
    }

    @Test
    void shouldWriteEachIpv6FieldWithoutDisturbingItsNeighbours()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[40]);
        ipv6.wrap(store, 0).version(6).trafficClass(0xff).flowLabel(0xfffff).trafficClass(0x2e).version(6)
            .payloadLength(1234).nextHeader(6).hopLimit(64)
            .sourceAddress(0xfe80000000000000L, 0x0200_5eff_fe00_5301L)
            .destinationAddress(-1L, -2L);

        assertEquals("62efffff04d20640", HexFormat.of().formatHex(store.underlyingObject(), 0, 8));
        assertEquals(6, ipv6.version());
        assertEquals(0x2e, ipv6.trafficClass());
        assertEquals(0xfffff, ipv6.flowLabel());
        assertEquals(1234, ipv6.payloadLength());
        assertEquals(6, ipv6.nextHeader());
        assertEquals(64, ipv6.hopLimit());
        assertEquals(0xfe80000000000000L, ipv6.sourceAddressHigh());
        assertEquals(0x0200_5eff_fe00_5301L, ipv6.sourceAddressLow());
        assertEquals(-1L, ipv6.destinationAddressHigh());
        assertEquals(-2L, ipv6.destinationAddressLow());
        assertEquals(40, ipv6.headerLength());
    }

    @Test
    void shouldWriteEachTcpFieldWithoutDisturbingItsNeighbours()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[20]);
        tcp.wrap(store, 0)
            .sourcePort(65535).destinationPort(1).sequenceNumber(-1L).acknowledgmentNumber(0x1_8000_0000L)
            .flags(0xff).dataOffset(5).window(0x8000).checksum(0xabcd).urgentPointer(7);

        assertEquals(65535, tcp.sourcePort());
        assertEquals(1, tcp.destinationPort());
        assertEquals(0xFFFF_FFFFL, tcp.sequenceNumber());
        assertEquals(0x8000_0000L, tcp.acknowledgmentNumber());
        assertEquals(5, tcp.dataOffset());
        assertEquals(0xff, tcp.flags());
        assertEquals("FIN|SYN|RST|PSH|ACK|URG|ECE|CWR", TcpHeaderFlyweight.flagsToString(tcp.flags()));
        assertTrue(tcp.hasFlags(TcpHeaderFlyweight.ECE | TcpHeaderFlyweight.CWR));
        assertEquals(0x8000, tcp.window());
        assertEquals(0xabcd, tcp.checksum());
        assertEquals(7, tcp.urgentPointer());
        assertEquals(0, tcp.optionsLength());
    }
}
