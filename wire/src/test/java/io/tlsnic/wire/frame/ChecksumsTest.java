package io.tlsnic.wire.frame;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumsTest
{
    /**
     * Ethernet/IPv6/TCP frame built by hand: 2001:db8::1 port 49152 to 2001:db8::2 port 443, flow label 0x12345,
     * seq 0xfffffff0, ack 0x80000001, PSH|ACK, window 501, payload a 9-byte application_data record "abcd" (odd
     * TCP length 29). Checksum 0x2be4 computed with a separate Python implementation of RFC 1071.
     */
    static final String IPV6_TCP_FRAME =
        "02000000000202000000000186dd60012345001d064020010db800000000000000000000000120010db80000000000" +
        "00000000000002c00001bbfffffff080000001501801f52be40000170303000461626364";

    @Test
    void shouldSumTheRfc1071Example()
    {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
        final BytesStore<?, byte[]> store = BytesStore.wrap(HexFormat.of().parseHex("0001f203f4f5f6f7"));
        assertEquals(0xddf2, Checksums.sum(store, 0, 8));
        // From an odd index the words are 01f2 and 03f4.
        assertEquals(0x05e6, Checksums.sum(store, 1, 4));
    }

    @Test
    void shouldAgreeWithTheReferenceForEveryLengthAndAlignment()
    {
        final SplittableRandom random = new SplittableRandom(1071);
        final byte[] data = new byte[300];
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (byte)random.nextInt(256);
            }
            final BytesStore<?, byte[]> store = BytesStore.wrap(data);
            final BytesStore<?, ?> direct = BytesStore.nativeStoreWithFixedCapacity(data.length);
            direct.write(0, data, 0, data.length);
            for (int start = 0; start < 9; start++)
            {
                for (int length = 0; length <= 280; length++)
                {
                    final int expected = ReferenceChecksum.sum(data, start, length);
                    assertEquals(expected, Checksums.sum(store, start, length),
                        "heap, start " + start + " length " + length);
                    assertEquals(expected, Checksums.sum(direct, start, length),
                        "direct, start " + start + " length " + length);
                }
            }
            direct.releaseLast();
        }
    }

    @Test
    void shouldFoldSumsOfAllOnesWithoutLosingTheCarry()
    {
        final byte[] ones = new byte[4096 + 7];
        Arrays.fill(ones, (byte)0xFF);
        final BytesStore<?, byte[]> store = BytesStore.wrap(ones);
        for (int length = 0; length < ones.length; length += 97)
        {
            assertEquals(ReferenceChecksum.sum(ones, 0, length), Checksums.sum(store, 0, length), "length " + length);
        }
    }

    @Test
    void shouldComputeTheIpv6TcpChecksumOfAHandBuiltFrame()
    {
        final byte[] bytes = HexFormat.of().parseHex(IPV6_TCP_FRAME);
        final BytesStore<?, byte[]> frame = BytesStore.wrap(bytes);

        assertEquals(0x2be4, ReferenceChecksum.tcpIpv6(bytes, 14, 54, 29));
        assertEquals(0x2be4, Checksums.tcpChecksumIpv6(frame, 14, 54, 29));
        assertTrue(Checksums.verifyTcpIpv6(frame, 14, 54, 29));

        bytes[54 + 16] = 0;
        bytes[54 + 17] = 0;
        assertFalse(Checksums.verifyTcpIpv6(frame, 14, 54, 29));
        assertEquals(0x2be4, Checksums.writeTcpIpv6(frame, 14, 54, 29));
        assertEquals(0x2be4, new TcpHeaderFlyweight().wrap(frame, 54).checksum());
    }

    @Test
    void shouldNoticeASingleFlippedBitInTheIpv6Payload()
    {
        final byte[] bytes = HexFormat.of().parseHex(IPV6_TCP_FRAME);
        final BytesStore<?, byte[]> frame = BytesStore.wrap(bytes);
        for (int bit = 0; bit < 8 * 29; bit++)
        {
            bytes[54 + bit / 8] ^= (byte)(1 << (bit % 8));
            assertFalse(Checksums.verifyTcpIpv6(frame, 14, 54, 29), "bit " + bit);
            bytes[54 + bit / 8] ^= (byte)(1 << (bit % 8));
        }
        assertTrue(Checksums.verifyTcpIpv6(frame, 14, 54, 29));
    }

    @Test
    void shouldAgreeWithTheReferenceOnRandomIpv4AndIpv6Segments()
    {
        final SplittableRandom random = new SplittableRandom(793);
        for (int round = 0; round < 500; round++)
        {
            final int tcpLength = 20 + random.nextInt(1500);
            final byte[] bytes = new byte[54 + tcpLength];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = (byte)random.nextInt(256);
            }
            final BytesStore<?, byte[]> store = BytesStore.wrap(bytes);
            assertEquals(
                ReferenceChecksum.tcpIpv6(bytes, 14, 54, tcpLength),
                Checksums.tcpChecksumIpv6(store, 14, 54, tcpLength));
            assertEquals(
                ReferenceChecksum.tcpIpv4(bytes, 14, 54, tcpLength),
                Checksums.tcpChecksumIpv4(store, 14, 54, tcpLength));
            Checksums.writeTcpIpv4(store, 14, 54, tcpLength);
            assertTrue(Checksums.verifyTcpIpv4(store, 14, 54, tcpLength));
        }
    }

    @Test
    void shouldRefuseARangeOutsideTheStoreNamingIt()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[10]);
        final IndexOutOfBoundsException e =
            assertThrows(IndexOutOfBoundsException.class, () -> Checksums.sum(store, 4, 7));
        assertEquals("checksummed range of 7 bytes at offset 4 does not fit in store [0, 10)", e.getMessage());
    }

    @Test
    void shouldRefuseAnIpv4HeaderWhoseIhlIsBelowFive()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[20]);
        store.writeByte(0, (byte)0x43);
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> Checksums.ipv4HeaderChecksum(store, 0));
        assertEquals("IPv4 IHL 3 words (12 bytes) is below the minimum 5 words (20 bytes) at offset 0", e.getMessage());
    }
}
