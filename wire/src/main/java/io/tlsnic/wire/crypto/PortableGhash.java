package io.tlsnic.wire.crypto;

/**
 * GHASH in plain Java with Shoup's 4-bit tables (16 multiples of H, reduction table for the nibble shifted out).
 * Several times slower than the intrinsic; correct everywhere. Bit order follows SP 800-38D: the first bit of a
 * block is the coefficient of x^0, so the block is read big-endian into (hi, lo) and "shift right" multiplies by x.
 */
final class PortableGhash extends Ghash
{
    /** x^4 reduction constants for the 16 possible nibbles shifted out (R = 0xE1 << 120 folded). */
    private static final long[] REDUCE = {
        0x0000L, 0x1C20L, 0x3840L, 0x2460L, 0x7080L, 0x6CA0L, 0x48C0L, 0x54E0L,
        0xE100L, 0xFD20L, 0xD940L, 0xC560L, 0x9180L, 0x8DA0L, 0xA9C0L, 0xB5E0L,
    };

    private final long[] tableHi = new long[16];
    private final long[] tableLo = new long[16];
    private long stateHi;
    private long stateLo;

    PortableGhash(final byte[] h)
    {
        long vh = readLong(h, 0);
        long vl = readLong(h, 8);
        // tableX[8] = H, tableX[4] = H*x, tableX[2] = H*x^2, tableX[1] = H*x^3, then sums.
        tableHi[8] = vh;
        tableLo[8] = vl;
        for (int i = 4; i > 0; i >>>= 1)
        {
            final long carry = (vl & 1) != 0 ? 0xE100000000000000L : 0;
            vl = (vh << 63) | (vl >>> 1);
            vh = (vh >>> 1) ^ carry;
            tableHi[i] = vh;
            tableLo[i] = vl;
        }
        for (int i = 2; i < 16; i <<= 1)
        {
            for (int j = 1; j < i; j++)
            {
                tableHi[i + j] = tableHi[i] ^ tableHi[j];
                tableLo[i + j] = tableLo[i] ^ tableLo[j];
            }
        }
    }

    @Override
    public void reset()
    {
        stateHi = 0;
        stateLo = 0;
    }

    @Override
    public void updateBlocks(final byte[] in, final int offset, final int length)
    {
        for (int p = offset; p < offset + length; p += BLOCK_LENGTH)
        {
            stateHi ^= readLong(in, p);
            stateLo ^= readLong(in, p + 8);
            multiplyByH();
        }
    }

    @Override
    public void digest(final byte[] out, final int offset)
    {
        writeLong(out, offset, stateHi);
        writeLong(out, offset + 8, stateLo);
    }

    private void multiplyByH()
    {
        long zh = 0;
        long zl = 0;
        final long xh = stateHi;
        final long xl = stateLo;
        // Process the 32 nibbles from the last (highest power of x) to the first, Horner style.
        for (int i = 31; i >= 0; i--)
        {
            final int nibble = (int)((i >= 16 ? xl >>> ((31 - i) * 4) : xh >>> ((15 - i) * 4)) & 0xF);
            if (i != 31)
            {
                final int rem = (int)(zl & 0xF);
                zl = (zh << 60) | (zl >>> 4);
                zh = (zh >>> 4) ^ (REDUCE[rem] << 48);
            }
            zh ^= tableHi[nibble];
            zl ^= tableLo[nibble];
        }
        stateHi = zh;
        stateLo = zl;
    }

    private static long readLong(final byte[] b, final int p)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(final byte[] b, final int p, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            b[p + i] = (byte)(v >>> (56 - 8 * i));
        }
    }
}
