package io.tlsnic.nic.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * RSS Toeplitz hash against Microsoft's "Verifying the RSS hash calculation" tables (default key; IPv4 with TCP
 * ports, IPv6 with TCP ports), and against a bit-by-bit reference written from the published pseudocode.
 */
class ToeplitzHashTest
{
    private final ToeplitzHash hash = new ToeplitzHash();

    @ParameterizedTest(name = "{0}:{1} -> {2}:{3}")
    @CsvSource({
        // source, source port, destination, destination port, hash (IPv4 with TCP)
        "66.9.149.187,    2794,  161.142.100.80, 1766,  51ccc178",
        "199.92.111.2,    14230, 65.69.140.83,   4739,  c626b0ea",
        "24.19.198.95,    12898, 12.22.207.184,  38024, 5c2b394a",
        "38.27.205.30,    48228, 209.142.163.6,  2217,  afc7327f",
        "153.39.163.191,  44251, 202.188.127.2,  1303,  10e828a2",
    })
    void shouldMatchMicrosoftIpv4TcpVectors(
        final String src, final int srcPort, final String dst, final int dstPort, final String expected)
        throws Exception
    {
        final int s = ByteBuffer.wrap(InetAddress.getByName(src).getAddress()).getInt();
        final int d = ByteBuffer.wrap(InetAddress.getByName(dst).getAddress()).getInt();
        final int h = hash.hashIpv4Tcp(s, d, srcPort, dstPort);
        assertEquals((int)Long.parseLong(expected, 16), h, Integer.toHexString(h));
        final byte[] input = input(src, dst, srcPort, dstPort);
        assertEquals(h, reference(ToeplitzHash.MICROSOFT_DEFAULT_KEY, input));
        assertEquals(h, hash.hash(input, 0, input.length));
        assertEquals(h, hash.hash(new FlowKey().setIpv4(Direction.RX, s, d, srcPort, dstPort)));
    }

    @ParameterizedTest(name = "{0}:{1} -> {2}:{3}")
    @CsvSource({
        // source, source port, destination, destination port, hash (IPv6 with TCP)
        "3ffe:2501:200:1fff::7,                     2794,  3ffe:2501:200:3::1,       1766,  40207d3d",
        "3ffe:501:8::260:97ff:fe40:efab,            14230, ff02::1,                  4739,  dde51bbf",
        "3ffe:1900:4545:3:200:f8ff:fe21:67cf,       44251, fe80::200:f8ff:fe21:67cf, 38024, 02d1feef",
    })
    void shouldMatchMicrosoftIpv6TcpVectors(
        final String src, final int srcPort, final String dst, final int dstPort, final String expected)
        throws Exception
    {
        final ByteBuffer s = ByteBuffer.wrap(InetAddress.getByName(src).getAddress());
        final ByteBuffer d = ByteBuffer.wrap(InetAddress.getByName(dst).getAddress());
        final int h = hash.hashIpv6Tcp(s.getLong(0), s.getLong(8), d.getLong(0), d.getLong(8), srcPort, dstPort);
        assertEquals((int)Long.parseLong(expected, 16), h, Integer.toHexString(h));
        final byte[] input = input(src, dst, srcPort, dstPort);
        assertEquals(h, reference(ToeplitzHash.MICROSOFT_DEFAULT_KEY, input));
        assertEquals(h, hash.hash(new FlowKey()
            .setIpv6(Direction.RX, s.getLong(0), s.getLong(8), d.getLong(0), d.getLong(8), srcPort, dstPort)));
    }

    @Test
    void shouldAgreeWithReferenceForRandomKeysAndInputs()
    {
        final Random random = new Random(7);
        final byte[] key = new byte[ToeplitzHash.KEY_LENGTH];
        for (int round = 0; round < 200; round++)
        {
            random.nextBytes(key);
            hash.setKey(key);
            final byte[] input = new byte[random.nextInt(ToeplitzHash.MAX_INPUT_LENGTH + 1)];
            random.nextBytes(input);
            assertEquals(reference(key, input), hash.hash(input, 0, input.length));
        }
    }

    @Test
    void shouldSpreadFlowsOverQueuesThroughTheIndirectionTable()
    {
        final RssIndirectionTable reta = new RssIndirectionTable(4);
        // 0x51ccc178: low 7 bits 0x78 = entry 120, round-robin reset value 120 % 4 = queue 0.
        assertEquals(0, reta.queueFor(0x51ccc178));
        // 0xc626b0ea: entry 0x6a = 106 -> queue 2.
        assertEquals(2, reta.queueFor(0xc626b0ea));
        assertEquals(true, reta.set(106, 3));
        assertEquals(3, reta.queueFor(0xc626b0ea));
        assertEquals(false, reta.set(106, 4), "queue 4 of 4 does not exist");
        assertEquals(false, reta.set(128, 0), "entry 128 does not exist");
        final int[] perQueue = new int[4];
        for (int flow = 0; flow < 4096; flow++)
        {
            perQueue[reta.queueFor(hash.hashIpv4Tcp(0x0A00_0000 | flow, 0xC0A8_0001, 40_000 + flow, 443))]++;
        }
        for (final int n : perQueue)
        {
            assertEquals(true, n > 700, "each queue gets a share: " + java.util.Arrays.toString(perQueue));
        }
    }

    /** The pseudocode of the Microsoft page: for each input bit, if set, XOR in the key's leftmost 32 bits; shift. */
    private static int reference(final byte[] key, final byte[] input)
    {
        BigInteger k = new BigInteger(1, key);
        final int keyBits = key.length * 8;
        final BigInteger mask = BigInteger.ONE.shiftLeft(keyBits).subtract(BigInteger.ONE);
        int result = 0;
        for (final byte b : input)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                if (((b >> bit) & 1) != 0)
                {
                    result ^= k.shiftRight(keyBits - 32).intValue();
                }
                k = k.shiftLeft(1).and(mask);
            }
        }
        return result;
    }

    private static byte[] input(final String src, final String dst, final int srcPort, final int dstPort)
        throws Exception
    {
        final byte[] s = InetAddress.getByName(src).getAddress();
        final byte[] d = InetAddress.getByName(dst).getAddress();
        return ByteBuffer.allocate(s.length + d.length + 4).put(s).put(d)
            .putShort((short)srcPort).putShort((short)dstPort).array();
    }
}
