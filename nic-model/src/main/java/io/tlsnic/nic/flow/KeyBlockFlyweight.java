package io.tlsnic.nic.flow;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The key block an INSTALL command points to, in host memory: the flow key, then the Linux {@code crypto_info}
 * struct exactly as {@code setsockopt(SOL_TLS)} received it ({@link io.tlsnic.wire.tls.CryptoInfo}). Little-endian
 * like the descriptors, except the addresses, which are in network order as in the packets.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  | IP version(u8)| reserved (u8) |      source port (u16)        |  0
 *  +---------------+---------------+-------------------------------+
 *  |    destination port (u16)     |       reserved, zero (u16)    |  4
 *  +-------------------------------+-------------------------------+
 *  |   source address, 16 bytes, network order (IPv4: 4 + 12 zero)  |  8
 *  +---------------------------------------------------------------+
 *  |   destination address, 16 bytes, network order                | 24
 *  +---------------------------------------------------------------+
 *  |   crypto_info: 40 bytes (AES-128-GCM) or 56 (AES-256-GCM, ...)  | 40
 *  +---------------------------------------------------------------+
 * </pre>
 * The addresses and ports are those of packets in the context's direction (RX: the peer is the source).
 */
public final class KeyBlockFlyweight
{
    /** Offset of the IP version (u8). */
    public static final int IP_VERSION_OFFSET = 0;
    /** Offset of the source port (u16). */
    public static final int SRC_PORT_OFFSET = IP_VERSION_OFFSET + 2;
    /** Offset of the destination port (u16). */
    public static final int DST_PORT_OFFSET = SRC_PORT_OFFSET + 2;
    /** Offset of the source address (16 bytes). */
    public static final int SRC_ADDRESS_OFFSET = DST_PORT_OFFSET + 4;
    /** Offset of the destination address (16 bytes). */
    public static final int DST_ADDRESS_OFFSET = SRC_ADDRESS_OFFSET + 16;
    /** Offset of the crypto_info struct. */
    public static final int CRYPTO_INFO_OFFSET = DST_ADDRESS_OFFSET + 16;
    /** Longest key block: the flow key and the largest crypto_info (56 bytes). */
    public static final int MAX_LENGTH = CRYPTO_INFO_OFFSET + 56;

    private KeyBlockFlyweight()
    {
    }

    /**
     * Writes the flow key part (reserved bytes zeroed).
     *
     * @param s store. @param o key block offset. @param key the flow.
     */
    public static void writeFlowKey(final BytesStore<?, ?> s, final long o, final FlowKey key)
    {
        s.writeUnsignedByte(o + IP_VERSION_OFFSET, key.ipVersion());
        s.writeUnsignedByte(o + IP_VERSION_OFFSET + 1, 0);
        s.writeUnsignedShort(o + SRC_PORT_OFFSET, key.srcPort());
        s.writeUnsignedShort(o + DST_PORT_OFFSET, key.dstPort());
        s.writeUnsignedShort(o + DST_PORT_OFFSET + 2, 0);
        writeAddress(s, o + SRC_ADDRESS_OFFSET, key.ipVersion(), key.srcHigh(), key.srcLow());
        writeAddress(s, o + DST_ADDRESS_OFFSET, key.ipVersion(), key.dstHigh(), key.dstLow());
    }

    /**
     * Reads the flow key part.
     *
     * @param s store. @param o key block offset. @param direction the context's direction.
     * @param out filled in.
     * @return false when the IP version is neither 4 nor 6 (out untouched).
     */
    public static boolean readFlowKey(
        final BytesStore<?, ?> s, final long o, final Direction direction, final FlowKey out)
    {
        final int ipVersion = s.readUnsignedByte(o + IP_VERSION_OFFSET);
        if (ipVersion != 4 && ipVersion != 6)
        {
            return false;
        }
        final int srcPort = s.readUnsignedShort(o + SRC_PORT_OFFSET);
        final int dstPort = s.readUnsignedShort(o + DST_PORT_OFFSET);
        if (ipVersion == 4)
        {
            out.set(direction, 4, 0, readIpv4(s, o + SRC_ADDRESS_OFFSET), 0, readIpv4(s, o + DST_ADDRESS_OFFSET),
                srcPort, dstPort);
        }
        else
        {
            out.set(direction, 6,
                Long.reverseBytes(s.readLong(o + SRC_ADDRESS_OFFSET)),
                Long.reverseBytes(s.readLong(o + SRC_ADDRESS_OFFSET + 8)),
                Long.reverseBytes(s.readLong(o + DST_ADDRESS_OFFSET)),
                Long.reverseBytes(s.readLong(o + DST_ADDRESS_OFFSET + 8)),
                srcPort, dstPort);
        }
        return true;
    }

    private static long readIpv4(final BytesStore<?, ?> s, final long o)
    {
        return Integer.reverseBytes(s.readInt(o)) & 0xFFFF_FFFFL;
    }

    private static void writeAddress(
        final BytesStore<?, ?> s, final long o, final int ipVersion, final long high, final long low)
    {
        if (ipVersion == 4)
        {
            s.writeInt(o, Integer.reverseBytes((int)low));
            s.writeInt(o + 4, 0);
            s.writeLong(o + 8, 0);
        }
        else
        {
            s.writeLong(o, Long.reverseBytes(high));
            s.writeLong(o + 8, Long.reverseBytes(low));
        }
    }
}
