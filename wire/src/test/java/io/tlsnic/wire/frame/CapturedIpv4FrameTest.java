package io.tlsnic.wire.frame;

import io.tlsnic.wire.tls.TlsRecordHeader;
import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_CLIENT_ALERT;
import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SERVER_FLIGHT;
import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SYN;
import static io.tlsnic.wire.frame.CapturedFrames.ZEEK_TLS12_SYN_ACK;
import static io.tlsnic.wire.frame.CapturedFrames.WS_TLS13_CCS_AND_APP_DATA;
import static io.tlsnic.wire.frame.CapturedFrames.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of real Ethernet/IPv4/TCP frames, read through the flyweights and checked against the hex. */
class CapturedIpv4FrameTest
{
    private static final int ETHERNET_LENGTH = 14;

    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();
    private final TcpOptionIterator options = new TcpOptionIterator();
    private final TlsRecordHeader record = new TlsRecordHeader();

    @Test
    void shouldReadEveryEthernetAndIpv4FieldOfTheClientSyn()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);

        ethernet.wrap(frame, 0);
        assertEquals(0x00163ee0137dL, ethernet.destinationMac());
        assertEquals(0x00163efddbe1L, ethernet.sourceMac());
        assertFalse(ethernet.isVlanTagged());
        assertEquals(EthernetHeaderFlyweight.TYPE_IPV4, ethernet.etherType());
        assertEquals(ETHERNET_LENGTH, ethernet.headerLength());

        ipv4.wrap(frame, ETHERNET_LENGTH, frame.capacity() - ETHERNET_LENGTH);
        assertEquals(4, ipv4.version());
        assertEquals(5, ipv4.ihl());
        assertEquals(20, ipv4.headerLength());
        assertEquals(0, ipv4.optionsLength());
        assertEquals(0, ipv4.dscp());
        assertEquals(0, ipv4.ecn());
        assertEquals(60, ipv4.totalLength());
        assertEquals(40, ipv4.payloadLength());
        assertEquals(0x6115, ipv4.identification());
        assertTrue(ipv4.dontFragment());
        assertFalse(ipv4.moreFragments());
        assertEquals(0, ipv4.fragmentOffset());
        assertEquals(64, ipv4.ttl());
        assertEquals(Ipv4HeaderFlyweight.PROTOCOL_TCP, ipv4.protocol());
        assertEquals(0x6304, ipv4.headerChecksum());
        assertEquals("192.168.100.70", Ipv4HeaderFlyweight.toDottedQuad(ipv4.sourceAddress()));
        assertEquals("193.99.144.80", Ipv4HeaderFlyweight.toDottedQuad(ipv4.destinationAddress()));
        assertTrue(Checksums.verifyIpv4Header(frame, ETHERNET_LENGTH));
        assertEquals(0x6304, Checksums.ipv4HeaderChecksum(frame, ETHERNET_LENGTH));
    }

    @Test
    void shouldReadEveryTcpFieldAndOptionOfTheClientSyn()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN);

        tcp.wrap(frame, 34, 40);
        assertEquals(48216, tcp.sourcePort());
        assertEquals(443, tcp.destinationPort());
        assertEquals(0x280742bfL, tcp.sequenceNumber());
        assertEquals(0, tcp.acknowledgmentNumber());
        assertEquals(10, tcp.dataOffset());
        assertEquals(40, tcp.headerLength());
        assertEquals(20, tcp.optionsLength());
        assertEquals(TcpHeaderFlyweight.SYN, tcp.flags());
        assertEquals("SYN", TcpHeaderFlyweight.flagsToString(tcp.flags()));
        assertEquals(64240, tcp.window());
        assertEquals(0x76d1, tcp.checksum());
        assertEquals(0, tcp.urgentPointer());

        options.wrap(tcp);
        assertEquals(TcpOptionIterator.KIND_MSS, options.next());
        assertEquals(1460, options.mss());
        assertEquals(TcpOptionIterator.KIND_SACK_PERMITTED, options.next());
        assertEquals(TcpOptionIterator.KIND_TIMESTAMPS, options.next());
        assertEquals(0x7d4e6cccL, options.timestampValue());
        assertEquals(0, options.timestampEchoReply());
        assertEquals(TcpOptionIterator.KIND_NOP, options.next());
        assertEquals(TcpOptionIterator.KIND_WINDOW_SCALE, options.next());
        assertEquals(7, options.windowScale());
        assertEquals(17, options.optionOffset());
        assertEquals(TcpOptionIterator.END, options.next());
    }

    @Test
    void shouldFindOnlyThePseudoHeaderSumInSegmentsCapturedBeforeChecksumOffload()
    {
        // Linux hands the NIC CHECKSUM_PARTIAL segments: the field holds the folded pseudo-header sum and the
        // device finishes it. tcpdump on the sender sees them before the device does.
        for (final String hex : new String[]{ZEEK_TLS12_SYN, ZEEK_TLS12_CLIENT_ALERT, WS_TLS13_CCS_AND_APP_DATA})
        {
            final BytesStore<?, byte[]> frame = store(hex);
            ipv4.wrap(frame, ETHERNET_LENGTH);
            tcp.wrap(frame, ETHERNET_LENGTH + 20, ipv4.payloadLength());

            assertEquals(
                Checksums.pseudoHeaderSumIpv4(frame, ETHERNET_LENGTH, 6, ipv4.payloadLength()), tcp.checksum());
            assertFalse(Checksums.verifyTcpIpv4(frame, ETHERNET_LENGTH, ETHERNET_LENGTH + 20, ipv4.payloadLength()));
        }
    }

    @Test
    void shouldCompleteTheChecksumOfASegmentCapturedBeforeChecksumOffload()
    {
        final BytesStore<?, byte[]> syn = store(ZEEK_TLS12_SYN);
        // Computed independently with a Python one's-complement sum over pseudo-header + segment.
        assertEquals(0xc377, Checksums.tcpChecksumIpv4(syn, 14, 34, 40));
        assertEquals(0xc377, Checksums.writeTcpIpv4(syn, 14, 34, 40));
        assertTrue(Checksums.verifyTcpIpv4(syn, 14, 34, 40));

        final BytesStore<?, byte[]> alert = store(ZEEK_TLS12_CLIENT_ALERT);
        assertEquals(0x49c9, Checksums.writeTcpIpv4(alert, 14, 34, 63));
        assertTrue(Checksums.verifyTcpIpv4(alert, 14, 34, 63));
    }

    @Test
    void shouldVerifyAndRecomputeTheChecksumsOfTheServerSynAck()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SYN_ACK);

        ethernet.wrap(frame, 0);
        assertEquals(0x00163efddbe1L, ethernet.destinationMac());
        assertEquals(0x00163ee0137dL, ethernet.sourceMac());
        ipv4.wrap(frame, ETHERNET_LENGTH);
        assertEquals(0, ipv4.identification());
        assertFalse(ipv4.dontFragment());
        assertEquals(53, ipv4.ttl());
        assertEquals(0x0f1a, ipv4.headerChecksum());
        assertTrue(Checksums.verifyIpv4Header(frame, ETHERNET_LENGTH));
        assertEquals(0x0f1a, Checksums.ipv4HeaderChecksum(frame, ETHERNET_LENGTH));

        tcp.wrap(frame, 34, 40);
        assertEquals(443, tcp.sourcePort());
        assertEquals(48216, tcp.destinationPort());
        assertEquals(0x76cd8d91L, tcp.sequenceNumber());
        assertEquals(0x280742c0L, tcp.acknowledgmentNumber());
        assertTrue(tcp.hasFlags(TcpHeaderFlyweight.SYN | TcpHeaderFlyweight.ACK));
        assertEquals("SYN|ACK", TcpHeaderFlyweight.flagsToString(tcp.flags()));
        assertEquals(65160, tcp.window());
        assertEquals(0x884a, tcp.checksum());
        assertTrue(Checksums.verifyTcpIpv4(frame, 14, 34, 40));
        assertEquals(0x884a, Checksums.tcpChecksumIpv4(frame, 14, 34, 40));

        options.wrap(tcp);
        assertEquals(TcpOptionIterator.KIND_MSS, options.next());
        assertEquals(1460, options.mss());
        assertEquals(TcpOptionIterator.KIND_SACK_PERMITTED, options.next());
        assertEquals(TcpOptionIterator.KIND_TIMESTAMPS, options.next());
        assertEquals(0x93529fd2L, options.timestampValue());
        assertEquals(0x7d4e6cccL, options.timestampEchoReply());
        assertEquals(TcpOptionIterator.KIND_NOP, options.next());
        assertEquals(TcpOptionIterator.KIND_WINDOW_SCALE, options.next());
        assertEquals(7, options.windowScale());
        assertEquals(TcpOptionIterator.END, options.next());
    }

    @Test
    void shouldWalkTheThreeTlsRecordsOfTheServerFlightFromThePayloadStart()
    {
        final BytesStore<?, byte[]> frame = store(ZEEK_TLS12_SERVER_FLIGHT);
        ipv4.wrap(frame, ETHERNET_LENGTH);
        assertEquals(326, ipv4.totalLength());
        assertEquals(0x8b7d, ipv4.identification());
        assertTrue(Checksums.verifyIpv4Header(frame, ETHERNET_LENGTH));
        tcp.wrap(frame, 34, ipv4.payloadLength());
        assertEquals(0x76cd98baL, tcp.sequenceNumber());
        assertEquals(0x28074522L, tcp.acknowledgmentNumber());
        assertEquals(32, tcp.headerLength());
        assertEquals(TcpHeaderFlyweight.PSH | TcpHeaderFlyweight.ACK, tcp.flags());
        assertEquals(506, tcp.window());
        assertEquals(0x029c, tcp.checksum());
        assertTrue(Checksums.verifyTcpIpv4(frame, 14, 34, ipv4.payloadLength()));
        assertEquals(0x029c, Checksums.tcpChecksumIpv4(frame, 14, 34, ipv4.payloadLength()));

        final long payloadIndex = 34 + tcp.headerLength();
        final long payloadEnd = ETHERNET_LENGTH + ipv4.totalLength();
        assertEquals(274, payloadEnd - payloadIndex);

        record.wrap(frame, payloadIndex);
        assertEquals(TlsRecordHeader.CONTENT_TYPE_HANDSHAKE, record.contentType());
        assertEquals(0x0303, record.legacyVersion());
        assertEquals(218, record.length());
        assertTrue(record.isPlausible());

        record.wrap(frame, payloadIndex + record.recordLength());
        assertEquals(TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC, record.contentType());
        assertEquals(1, record.length());

        record.wrap(frame, record.offset() + record.recordLength());
        assertEquals(TlsRecordHeader.CONTENT_TYPE_HANDSHAKE, record.contentType());
        assertEquals(40, record.length());
        assertEquals(payloadEnd, record.offset() + record.recordLength());
    }

    @Test
    void shouldReadTheEcnBitsAndBothRecordsOfATls13ClientSegment()
    {
        final BytesStore<?, byte[]> frame = store(WS_TLS13_CCS_AND_APP_DATA);
        ethernet.wrap(frame, 0);
        assertEquals(0x927639bec181L, ethernet.destinationMac());
        assertEquals(0x8a7d409e521bL, ethernet.sourceMac());
        ipv4.wrap(frame, ETHERNET_LENGTH);
        assertEquals(0x02, ipv4.tos());
        assertEquals(0, ipv4.dscp());
        assertEquals(2, ipv4.ecn());
        assertEquals(116, ipv4.totalLength());
        assertEquals("10.9.0.1", Ipv4HeaderFlyweight.toDottedQuad(ipv4.sourceAddress()));
        assertEquals("10.9.0.2", Ipv4HeaderFlyweight.toDottedQuad(ipv4.destinationAddress()));
        assertTrue(Checksums.verifyIpv4Header(frame, ETHERNET_LENGTH));

        tcp.wrap(frame, 34, ipv4.payloadLength());
        assertEquals(38288, tcp.sourcePort());
        assertEquals(0x1805ae15L, tcp.sequenceNumber());
        assertEquals(0x1b042e23L, tcp.acknowledgmentNumber());
        assertEquals(238, tcp.window());

        record.wrap(frame, 34 + tcp.headerLength());
        assertEquals(TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC, record.contentType());
        assertEquals(1, record.length());
        record.wrap(frame, record.offset() + record.recordLength());
        assertEquals(TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA, record.contentType());
        assertEquals(0x0303, record.legacyVersion());
        assertEquals(53, record.length());
        assertEquals(frame.capacity(), record.offset() + record.recordLength());
    }
}
