package io.tlsnic.wire.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The Internet checksum (RFC 1071) over a {@link BytesStore}: the one's-complement sum, the IPv4 header checksum and
 * the TCP checksum with its IPv4 (RFC 9293 section 3.1) and IPv6 (RFC 8200 section 8.1) pseudo-headers.
 *
 * <p>Sums are 16-bit values in network order: the one's-complement sum of the data read as big-endian 16-bit words,
 * folded, not complemented. The sum is computed eight bytes at a time in native order and byte-swapped once at the
 * end, which RFC 1071 section 2(B) shows gives the same result as summing big-endian words. A checksum field holds
 * the complement of the sum computed with the field itself taken as zero; a header verifies when the sum over it,
 * field included, is 0xFFFF.
 *
 * <p>The compute methods leave the checksum field as it is: they remove its contribution from the sum, so they work
 * on read-only stores and on frames whose field holds a stale or partial value.
 */
public final class Checksums
{
    /** The sum of data whose checksum field is correct. */
    public static final int VALID_SUM = 0xFFFF;

    private static final int PROTOCOL_TCP = 6;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORTS =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private Checksums()
    {
    }

    /**
     * One's-complement sum of {@code length} bytes (any length, odd included) read as big-endian 16-bit words; a
     * final odd byte is padded with a zero byte on the right.
     *
     * @param index absolute index of the first byte.
     * @return the folded sum, 0..0xFFFF, not complemented.
     * @throws IndexOutOfBoundsException when the range is outside the store.
     */
    public static int sum(final BytesStore<?, ?> store, final long index, final int length)
    {
        NetworkOrder.checkRange("checksummed range", store, index, length);
        final byte[] array = NetworkOrder.array(store, index);
        if (array != null)
        {
            // A heap store over an array (index i is array[i]): read the array directly, eight bytes at a time.
            return sum(array, (int)index, length);
        }
        long acc = 0;
        long i = index;
        final long end = index + length;
        // Each step adds less than 2^33, so the accumulator cannot overflow for any int length.
        while (end - i >= 8)
        {
            final long word = store.readLong(i);
            acc += (word >>> 32) + (word & 0xFFFF_FFFFL);
            i += 8;
        }
        if (end - i >= 4)
        {
            acc += store.readInt(i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2)
        {
            acc += store.readShort(i) & 0xFFFF;
            i += 2;
        }
        if (end - i == 1)
        {
            // The odd byte sits at an even distance from the start: the high byte of its big-endian word.
            final int b = store.readUnsignedByte(i);
            acc += NetworkOrder.NATIVE_IS_BIG_ENDIAN ? b << 8 : b;
        }
        final int folded = fold(acc);
        return NetworkOrder.NATIVE_IS_BIG_ENDIAN ? folded : Integer.reverseBytes(folded) >>> 16;
    }

    /** {@link #sum(BytesStore, long, int)} over an array, range already checked. */
    private static int sum(final byte[] array, final int index, final int length)
    {
        long acc = 0;
        long acc2 = 0;
        int i = index;
        final int end = index + length;
        // Two independent sums over 32 bytes a step: each adds less than 2^35, far from overflowing for an int length.
        while (end - i >= 32)
        {
            final long w0 = (long)LONGS.get(array, i);
            final long w1 = (long)LONGS.get(array, i + 8);
            final long w2 = (long)LONGS.get(array, i + 16);
            final long w3 = (long)LONGS.get(array, i + 24);
            acc += (w0 >>> 32) + (w0 & 0xFFFF_FFFFL) + (w1 >>> 32) + (w1 & 0xFFFF_FFFFL);
            acc2 += (w2 >>> 32) + (w2 & 0xFFFF_FFFFL) + (w3 >>> 32) + (w3 & 0xFFFF_FFFFL);
            i += 32;
        }
        acc += acc2;
        while (end - i >= 8)
        {
            final long word = (long)LONGS.get(array, i);
            acc += (word >>> 32) + (word & 0xFFFF_FFFFL);
            i += 8;
        }
        if (end - i >= 4)
        {
            acc += (int)INTS.get(array, i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2)
        {
            acc += (short)SHORTS.get(array, i) & 0xFFFF;
            i += 2;
        }
        if (end - i == 1)
        {
            final int b = array[i] & 0xFF;
            acc += NetworkOrder.NATIVE_IS_BIG_ENDIAN ? b << 8 : b;
        }
        final int folded = fold(acc);
        return NetworkOrder.NATIVE_IS_BIG_ENDIAN ? folded : Integer.reverseBytes(folded) >>> 16;
    }

    /**
     * Folds a sum of 16-bit words with end-around carry.
     *
     * @param sum any non-negative sum of 16-bit words.
     * @return 0..0xFFFF.
     */
    public static int fold(final long sum)
    {
        long s = (sum >>> 32) + (sum & 0xFFFF_FFFFL);
        s = (s >>> 32) + (s & 0xFFFF_FFFFL);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        return (int)s;
    }

    /** @return the one's-complement sum of two folded sums. */
    public static int add(final int sumA, final int sumB)
    {
        return fold((long)sumA + sumB);
    }

    /**
     * @param ipIndex absolute index of the IPv4 header.
     * @return the value the header checksum field should hold.
     * @throws IllegalArgumentException when IHL is below 5.
     * @throws IndexOutOfBoundsException when the header runs past the store.
     */
    public static int ipv4HeaderChecksum(final BytesStore<?, ?> store, final long ipIndex)
    {
        final int headerLength = ipv4HeaderLength(store, ipIndex);
        final int field = NetworkOrder.getUnsignedShort(store, ipIndex + Ipv4HeaderFlyweight.CHECKSUM_OFFSET);
        return ~add(sum(store, ipIndex, headerLength), ~field & 0xFFFF) & 0xFFFF;
    }

    /** @return whether the IPv4 header at {@code ipIndex} carries a correct header checksum. */
    public static boolean verifyIpv4Header(final BytesStore<?, ?> store, final long ipIndex)
    {
        return sum(store, ipIndex, ipv4HeaderLength(store, ipIndex)) == VALID_SUM;
    }

    /**
     * Computes and writes the IPv4 header checksum in place.
     *
     * @return the checksum written.
     */
    public static int writeIpv4HeaderChecksum(final BytesStore<?, ?> store, final long ipIndex)
    {
        final int checksum = ipv4HeaderChecksum(store, ipIndex);
        NetworkOrder.putShort(store, ipIndex + Ipv4HeaderFlyweight.CHECKSUM_OFFSET, checksum);
        return checksum;
    }

    /**
     * Sum of the IPv4 pseudo-header: source and destination addresses (read from the IPv4 header at
     * {@code ipIndex}), zero, protocol, and upper-layer length.
     */
    public static int pseudoHeaderSumIpv4(
        final BytesStore<?, ?> store, final long ipIndex, final int protocol, final int upperLayerLength)
    {
        final int addresses = sum(store, ipIndex + Ipv4HeaderFlyweight.SOURCE_ADDRESS_OFFSET, 8);
        return fold((long)addresses + protocol + (upperLayerLength & 0xFFFF));
    }

    /**
     * Sum of the IPv6 pseudo-header: source and destination addresses (read from the IPv6 header at
     * {@code ipIndex}), 32-bit upper-layer length, three zero bytes and next header.
     */
    public static int pseudoHeaderSumIpv6(
        final BytesStore<?, ?> store, final long ipIndex, final int nextHeader, final long upperLayerLength)
    {
        final int addresses = sum(
            store, ipIndex + Ipv6HeaderFlyweight.SOURCE_ADDRESS_OFFSET, 2 * Ipv6HeaderFlyweight.ADDRESS_LENGTH);
        return fold(addresses + (upperLayerLength >>> 16) + (upperLayerLength & 0xFFFF) + nextHeader);
    }

    /**
     * @param ipIndex absolute index of the IPv4 header that carries the segment (for the pseudo-header).
     * @param tcpIndex absolute index of the TCP header.
     * @param tcpLength TCP header + payload bytes.
     * @return the value the TCP checksum field should hold.
     */
    public static int tcpChecksumIpv4(
        final BytesStore<?, ?> store, final long ipIndex, final long tcpIndex, final int tcpLength)
    {
        return tcpChecksum(store, tcpIndex, tcpLength, pseudoHeaderSumIpv4(store, ipIndex, PROTOCOL_TCP, tcpLength));
    }

    /** @return whether the TCP segment carried by the IPv4 header at {@code ipIndex} has a correct checksum. */
    public static boolean verifyTcpIpv4(
        final BytesStore<?, ?> store, final long ipIndex, final long tcpIndex, final int tcpLength)
    {
        return add(sum(store, tcpIndex, tcpLength), pseudoHeaderSumIpv4(store, ipIndex, PROTOCOL_TCP, tcpLength)) ==
            VALID_SUM;
    }

    /**
     * Computes and writes the TCP checksum of a segment carried over IPv4.
     *
     * @return the checksum written.
     */
    public static int writeTcpIpv4(
        final BytesStore<?, ?> store, final long ipIndex, final long tcpIndex, final int tcpLength)
    {
        final int checksum = tcpChecksumIpv4(store, ipIndex, tcpIndex, tcpLength);
        NetworkOrder.putShort(store, tcpIndex + TcpHeaderFlyweight.CHECKSUM_OFFSET, checksum);
        return checksum;
    }

    /**
     * @param ipIndex absolute index of the IPv6 header that carries the segment (for the pseudo-header).
     * @return the value the TCP checksum field should hold.
     */
    public static int tcpChecksumIpv6(
        final BytesStore<?, ?> store, final long ipIndex, final long tcpIndex, final int tcpLength)
    {
        return tcpChecksum(store, tcpIndex, tcpLength, pseudoHeaderSumIpv6(store, ipIndex, PROTOCOL_TCP, tcpLength));
    }

    /** @return whether the TCP segment carried by the IPv6 header at {@code ipIndex} has a correct checksum. */
    public static boolean verifyTcpIpv6(
        final BytesStore<?, ?> store, final long ipIndex, final long tcpIndex, final int tcpLength)
    {
        return add(sum(store, tcpIndex, tcpLength), pseudoHeaderSumIpv6(store, ipIndex, PROTOCOL_TCP, tcpLength)) ==
            VALID_SUM;
    }

    /**
     * Computes and writes the TCP checksum of a segment carried over IPv6.
     *
     * @return the checksum written.
     */
    public static int writeTcpIpv6(
        final BytesStore<?, ?> store, final long ipIndex, final long tcpIndex, final int tcpLength)
    {
        final int checksum = tcpChecksumIpv6(store, ipIndex, tcpIndex, tcpLength);
        NetworkOrder.putShort(store, tcpIndex + TcpHeaderFlyweight.CHECKSUM_OFFSET, checksum);
        return checksum;
    }

    private static int tcpChecksum(
        final BytesStore<?, ?> store, final long tcpIndex, final int tcpLength, final int pseudoHeaderSum)
    {
        NetworkOrder.checkFits("TCP checksum field", TcpHeaderFlyweight.CHECKSUM_OFFSET + 2, tcpLength, tcpIndex);
        final int field = NetworkOrder.getUnsignedShort(store, tcpIndex + TcpHeaderFlyweight.CHECKSUM_OFFSET);
        final int withoutField = add(sum(store, tcpIndex, tcpLength), ~field & 0xFFFF);
        return ~add(withoutField, pseudoHeaderSum) & 0xFFFF;
    }

    private static int ipv4HeaderLength(final BytesStore<?, ?> store, final long ipIndex)
    {
        NetworkOrder.checkRange("IPv4 header", store, ipIndex, Ipv4HeaderFlyweight.MIN_HEADER_LENGTH);
        return Ipv4HeaderFlyweight.checkedHeaderLength(store, ipIndex, store.readLimit() - ipIndex);
    }
}
