package io.tlsnic.nic.flow;

import java.util.Arrays;

/**
 * The Toeplitz hash of receive-side scaling (Microsoft "RSS hashing types" / "Verifying the RSS hash
 * calculation"): for every set bit of the input, XOR in the 32-bit window of the key that starts at that bit.
 * Inputs are the fields in network byte order: source address, destination address, source port, destination
 * port (12 bytes for IPv4 + TCP, 36 for IPv6 + TCP).
 * <p>
 * Computed with a table per input byte position (value -> XOR of the windows of its set bits), built once per key,
 * so a hash costs one lookup per input byte. Only the device agent hashes and rekeys.
 */
public final class ToeplitzHash
{
    /** RSS key length in bytes (40, enough for IPv6 + ports). */
    public static final int KEY_LENGTH = 40;
    /** Longest input: IPv6 source and destination + two ports. */
    public static final int MAX_INPUT_LENGTH = 36;

    /** The default key Microsoft publishes, used by most NIC drivers. */
    public static final byte[] MICROSOFT_DEFAULT_KEY = {
        (byte)0x6d, (byte)0x5a, (byte)0x56, (byte)0xda, (byte)0x25, (byte)0x5b, (byte)0x0e, (byte)0xc2,
        (byte)0x41, (byte)0x67, (byte)0x25, (byte)0x3d, (byte)0x43, (byte)0xa3, (byte)0x8f, (byte)0xb0,
        (byte)0xd0, (byte)0xca, (byte)0x2b, (byte)0xcb, (byte)0xae, (byte)0x7b, (byte)0x30, (byte)0xb4,
        (byte)0x77, (byte)0xcb, (byte)0x2d, (byte)0xa3, (byte)0x80, (byte)0x30, (byte)0xf2, (byte)0x0c,
        (byte)0x6a, (byte)0x42, (byte)0xb7, (byte)0x3b, (byte)0xbe, (byte)0xac, (byte)0x01, (byte)0xfa,
    };

    private final byte[] key = new byte[KEY_LENGTH];
    private final int[] table = new int[MAX_INPUT_LENGTH * 256];

    /** A hash with {@link #MICROSOFT_DEFAULT_KEY}. */
    public ToeplitzHash()
    {
        setKey(MICROSOFT_DEFAULT_KEY);
    }

    /** @param key {@link #KEY_LENGTH} bytes; copied. */
    public void setKey(final byte[] key)
    {
        if (key.length != KEY_LENGTH)
        {
            throw new IllegalArgumentException("RSS key length " + key.length + " is not " + KEY_LENGTH);
        }
        System.arraycopy(key, 0, this.key, 0, KEY_LENGTH);
        Arrays.fill(table, 0);
        for (int position = 0; position < MAX_INPUT_LENGTH; position++)
        {
            final int[] windows = new int[8];
            for (int bit = 0; bit < 8; bit++)
            {
                windows[bit] = window(position * 8 + bit);
            }
            for (int value = 0; value < 256; value++)
            {
                int h = 0;
                for (int bit = 0; bit < 8; bit++)
                {
                    if ((value & (0x80 >>> bit)) != 0)
                    {
                        h ^= windows[bit];
                    }
                }
                table[position * 256 + value] = h;
            }
        }
    }

    /**
     * @param input bytes in network order.
     * @param offset first byte.
     * @param length at most {@link #MAX_INPUT_LENGTH}.
     * @return the 32-bit hash.
     */
    public int hash(final byte[] input, final int offset, final int length)
    {
        if (length > MAX_INPUT_LENGTH)
        {
            throw new IllegalArgumentException("RSS input of " + length + " bytes exceeds " + MAX_INPUT_LENGTH);
        }
        int h = 0;
        for (int i = 0; i < length; i++)
        {
            h ^= table[i * 256 + (input[offset + i] & 0xFF)];
        }
        return h;
    }

    /**
     * @param srcAddress IPv4 source address (as a big-endian int, e.g. 0x4209_95bb for 66.9.149.187).
     * @param dstAddress IPv4 destination address.
     * @param srcPort source port.
     * @param dstPort destination port.
     * @return the hash over the IPv4 + TCP 4-tuple.
     */
    public int hashIpv4Tcp(final int srcAddress, final int dstAddress, final int srcPort, final int dstPort)
    {
        int h = hashInt(0, srcAddress);
        h ^= hashInt(4, dstAddress);
        h ^= table[8 * 256 + ((srcPort >>> 8) & 0xFF)] ^ table[9 * 256 + (srcPort & 0xFF)];
        h ^= table[10 * 256 + ((dstPort >>> 8) & 0xFF)] ^ table[11 * 256 + (dstPort & 0xFF)];
        return h;
    }

    /**
     * @param srcHigh first 8 bytes of the IPv6 source address, big-endian.
     * @param srcLow last 8 bytes of the source.
     * @param dstHigh first 8 bytes of the destination.
     * @param dstLow last 8 bytes of the destination.
     * @param srcPort source port.
     * @param dstPort destination port.
     * @return the hash over the IPv6 + TCP 4-tuple.
     */
    public int hashIpv6Tcp(
        final long srcHigh, final long srcLow, final long dstHigh, final long dstLow, final int srcPort,
        final int dstPort)
    {
        int h = hashInt(0, (int)(srcHigh >>> 32)) ^ hashInt(4, (int)srcHigh);
        h ^= hashInt(8, (int)(srcLow >>> 32)) ^ hashInt(12, (int)srcLow);
        h ^= hashInt(16, (int)(dstHigh >>> 32)) ^ hashInt(20, (int)dstHigh);
        h ^= hashInt(24, (int)(dstLow >>> 32)) ^ hashInt(28, (int)dstLow);
        h ^= table[32 * 256 + ((srcPort >>> 8) & 0xFF)] ^ table[33 * 256 + (srcPort & 0xFF)];
        h ^= table[34 * 256 + ((dstPort >>> 8) & 0xFF)] ^ table[35 * 256 + (dstPort & 0xFF)];
        return h;
    }

    /**
     * @param key the flow's key.
     * @return the hash of its 4-tuple (IPv4 or IPv6 by {@link FlowKey#ipVersion()}).
     */
    public int hash(final FlowKey key)
    {
        return key.ipVersion() == 4 ?
            hashIpv4Tcp((int)key.srcLow(), (int)key.dstLow(), key.srcPort(), key.dstPort()) :
            hashIpv6Tcp(key.srcHigh(), key.srcLow(), key.dstHigh(), key.dstLow(), key.srcPort(), key.dstPort());
    }

    private int hashInt(final int position, final int value)
    {
        final int base = position * 256;
        return table[base + (value >>> 24)] ^ table[base + 256 + ((value >>> 16) & 0xFF)] ^
            table[base + 512 + ((value >>> 8) & 0xFF)] ^ table[base + 768 + (value & 0xFF)];
    }

    /** @return the 32 key bits starting at key bit {@code bit} (bit 0 = MSB of key byte 0). */
    private int window(final int bit)
    {
        int w = 0;
        for (int i = 0; i < 32; i++)
        {
            final int b = bit + i;
            final int keyBit = b < KEY_LENGTH * 8 ? (key[b >>> 3] >>> (7 - (b & 7))) & 1 : 0;
            w = (w << 1) | keyBit;
        }
        return w;
    }
}
