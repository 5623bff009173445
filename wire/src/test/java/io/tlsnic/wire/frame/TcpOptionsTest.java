package io.tlsnic.wire.frame;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import static io.tlsnic.wire.frame.TcpOptionIterator.END;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_MSS;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_NOP;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_SACK;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_SACK_PERMITTED;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_TIMESTAMPS;
import static io.tlsnic.wire.frame.TcpOptionIterator.KIND_WINDOW_SCALE;
import static io.tlsnic.wire.frame.TcpOptionIterator.MALFORMED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TcpOptionsTest
{
    private final TcpOptionIterator options = new TcpOptionIterator();
    private final TcpOptionWriter writer = new TcpOptionWriter();

    @Test
    void shouldWriteTheLinuxSynOptionsByteForByte()
    {
        final byte[] bytes = new byte[40];
        final BytesStore<?, byte[]> store = BytesStore.wrap(bytes);

        final int length = writer.wrap(store, 0)
            .mss(1460).sackPermitted().timestamps(0x7d4e6cccL, 0).nop().windowScale(7).finish();

        // Same 20 option bytes as the client SYN of zeek-tls12-decryption.pcap #1.
        assertEquals(20, length);
        assertEquals("020405b40402080a7d4e6ccc0000000001030307", HexFormat.of().formatHex(bytes, 0, length));
    }

    @Test
    void shouldPadWithEolToAFourByteBoundary()
    {
        final byte[] bytes = new byte[40];
        Arrays.fill(bytes, (byte)0x55);
        final BytesStore<?, byte[]> store = BytesStore.wrap(bytes);

        assertEquals(4, writer.wrap(store, 0).windowScale(14).finish());
        assertEquals("03030e00", HexFormat.of().formatHex(bytes, 0, 4));
        assertEquals(0, writer.wrap(store, 0).finish());
        assertEquals(8, writer.wrap(store, 0).mss(536).sackPermitted().finish());
        assertEquals("0204021804020000", HexFormat.of().formatHex(bytes, 0, 8));
    }

    @Test
    void shouldRoundTripOneToFourSackBlocks()
    {
        for (int blocks = 1; blocks <= 4; blocks++)
        {
            final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[40]);
            writer.wrap(store, 0).nop().nop();
            for (int i = 0; i < blocks; i++)
            {
                writer.sackBlock(0xFFFF_FFF0L + 100 * i, 0xFFFF_FFF0L + 100 * i + 50);
            }
            final int length = writer.finish();
            assertEquals(2 + 2 + 8 * blocks, length);

            options.wrap(store, 0, length);
            assertEquals(KIND_NOP, options.next());
            assertEquals(KIND_NOP, options.next());
            assertEquals(KIND_SACK, options.next());
            assertEquals(blocks, options.sackBlockCount());
            for (int i = 0; i < blocks; i++)
            {
                // Edges wrap modulo 2^32.
                assertEquals((0xFFFF_FFF0L + 100 * i) & 0xFFFF_FFFFL, options.sackLeftEdge(i));
                assertEquals((0xFFFF_FFF0L + 100 * i + 50) & 0xFFFF_FFFFL, options.sackRightEdge(i));
            }
            assertEquals(END, options.next());
        }
    }

    @Test
    void shouldRefuseAFifthSackBlock()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[40]);
        writer.wrap(store, 0, 40).sackBlock(1, 2).sackBlock(3, 4).sackBlock(5, 6).sackBlock(7, 8);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.sackBlock(9, 10));
        assertEquals("TCP SACK option already holds 4 blocks", e.getMessage());
    }

    @Test
    void shouldRefuseAnOptionThatDoesNotFitNamingWhatIsLeft()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[60]);
        writer.wrap(store, 20).timestamps(1, 2).timestamps(3, 4).timestamps(5, 6).mss(1400)
            .nop().nop().nop().nop();
        final IndexOutOfBoundsException e =
            assertThrows(IndexOutOfBoundsException.class, () -> writer.mss(1400));
        assertEquals(
            "TCP option MSS needs 4 bytes but 2 of 40 option bytes are left at offset 58", e.getMessage());
    }

    @Test
    void shouldReadTheLoopbackSynOptionsUpToTheEolPadding()
    {
        // illustrated-tls13.pcap #1: MSS 16344, NOP, WS 6, NOP, NOP, timestamps, SACK permitted, EOL, EOL.
        final BytesStore<?, byte[]> store =
            BytesStore.wrap(HexFormat.of().parseHex("02043fd8010303060101080aba6687d90000000004020000"));
        options.wrap(store, 0, 24);
        assertEquals(KIND_MSS, options.next());
        assertEquals(16344, options.mss());
        assertEquals(KIND_NOP, options.next());
        assertEquals(KIND_WINDOW_SCALE, options.next());
        assertEquals(6, options.windowScale());
        assertEquals(KIND_NOP, options.next());
        assertEquals(KIND_NOP, options.next());
        assertEquals(KIND_TIMESTAMPS, options.next());
        assertEquals(0xba6687d9L, options.timestampValue());
        assertEquals(KIND_SACK_PERMITTED, options.next());
        assertEquals(END, options.next());
        assertEquals(END, options.next());
        assertNull(options.error());
    }

    @Test
    void shouldSkipUnknownOptionsByTheirLength()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(HexFormat.of().parseHex("1e06aabbccdd0204057801"));
        options.wrap(store, 0, 11);
        assertEquals(30, options.next());
        assertEquals(6, options.length());
        assertEquals(KIND_MSS, options.next());
        assertEquals(1400, options.mss());
        assertEquals(KIND_NOP, options.next());
        assertEquals(END, options.next());
    }

    @Test
    void shouldReportEachKindOfMalformedLength()
    {
        assertMalformed("0204", "TCP option kind 2 (MSS) at option offset 0: length 4 exceeds the 2 option bytes left");
        assertMalformed("0102", "TCP option kind 2 (MSS) at option offset 1: has no length byte");
        assertMalformed("1e01", "TCP option kind 30 at option offset 0: length 1 is below the minimum 2");
        assertMalformed("1e00", "TCP option kind 30 at option offset 0: length 0 is below the minimum 2");
        assertMalformed("02030000", "TCP option kind 2 (MSS) at option offset 0: length 3 is not 4");
        assertMalformed("03040700", "TCP option kind 3 (window scale) at option offset 0: length 4 is not 3");
        assertMalformed("04030000", "TCP option kind 4 (SACK permitted) at option offset 0: length 3 is not 2");
        assertMalformed("080400000000", "TCP option kind 8 (timestamps) at option offset 0: length 4 is not 10");
        assertMalformed(
            "0502", "TCP option kind 5 (SACK) at option offset 0: length 2 is not 2 + 8 * n with n in 1..4");
        assertMalformed(
            "0509" + "00".repeat(7),
            "TCP option kind 5 (SACK) at option offset 0: length 9 is not 2 + 8 * n with n in 1..4");
    }

    @Test
    void shouldRefuseTypedAccessToAnotherKind()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(HexFormat.of().parseHex("01"));
        options.wrap(store, 0, 1);
        options.next();
        final IllegalStateException e = assertThrows(IllegalStateException.class, options::mss);
        assertEquals("current TCP option is kind 1, not kind 2 (MSS)", e.getMessage());
    }

    @Test
    void shouldNeverReadPastTheOptionAreaWhateverTheBytes()
    {
        // The option area sits between guard bytes; iterating must give the same answers whatever the guards hold.
        final SplittableRandom random = new SplittableRandom(2018);
        final byte[] a = new byte[64];
        final byte[] b = new byte[64];
        for (int round = 0; round < 100_000; round++)
        {
            final int length = random.nextInt(41);
            for (int i = 0; i < 64; i++)
            {
                a[i] = (byte)random.nextInt(256);
                b[i] = (byte)~a[i];
            }
            for (int i = 0; i < length; i++)
            {
                // Bias towards known kinds and small lengths so that most inputs are nearly valid.
                final int v = random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(11);
                a[12 + i] = (byte)v;
                b[12 + i] = (byte)v;
            }
            assertEquals(walk(BytesStore.wrap(a), length), walk(BytesStore.wrap(b), length), "round " + round);
        }
    }

    private String walk(final BytesStore<?, byte[]> store, final int length)
    {
        final StringBuilder sb = new StringBuilder();
        options.wrap(store, 12, length);
        int kind;
        while ((kind = options.next()) >= 0)
        {
            sb.append(kind).append('/').append(options.length()).append('@').append(options.optionOffset()).append(' ');
            switch (kind)
            {
                case KIND_MSS -> sb.append(options.mss());
                case KIND_WINDOW_SCALE -> sb.append(options.windowScale());
                case KIND_TIMESTAMPS ->
                    sb.append(options.timestampValue()).append(',').append(options.timestampEchoReply());
                case KIND_SACK ->
                {
                    for (int i = 0; i < options.sackBlockCount(); i++)
                    {
                        sb.append(options.sackLeftEdge(i)).append('-').append(options.sackRightEdge(i)).append(',');
                    }
                }
                default -> sb.append('.');
            }
            sb.append(';');
        }
        return sb.append(kind).append(' ').append(options.error()).toString();
    }

    private void assertMalformed(final String hex, final String error)
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(HexFormat.of().parseHex(hex));
        options.wrap(store, 0, (int)store.capacity());
        int kind;
        do
        {
            kind = options.next();
        }
        while (kind >= 0);
        assertEquals(MALFORMED, kind, hex);
        assertEquals(error, options.error(), hex);
        assertEquals(MALFORMED, options.next(), "MALFORMED is sticky");
    }
}
