package io.tlsnic.wire.util;

/** Hexadecimal text to bytes and back, as key logs, vectors and reports write them. */
public final class Hex
{
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex()
    {
    }

    /**
     * @param text hex digits in either case; spaces, tabs and line breaks are ignored.
     * @return the bytes.
     * @throws IllegalArgumentException naming the position of a non-hex character or an odd digit count.
     */
    public static byte[] decode(final CharSequence text)
    {
        final byte[] out = new byte[text.length() / 2];
        int digits = 0;
        int n = 0;
        int high = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
                continue;
            }
            final int v = Character.digit(c, 16);
            if (v < 0)
            {
                throw new IllegalArgumentException("not a hex digit '" + c + "' at position " + i);
            }
            if ((digits & 1) == 0)
            {
                high = v;
            }
            else
            {
                out[n++] = (byte)((high << 4) | v);
            }
            digits++;
        }
        if ((digits & 1) != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits (" + digits + ")");
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * @param bytes source.
     * @param offset first byte.
     * @param length number of bytes.
     * @return lower-case hex.
     */
    public static String encode(final byte[] bytes, final int offset, final int length)
    {
        final char[] out = new char[length * 2];
        for (int i = 0; i < length; i++)
        {
            final int b = bytes[offset + i] & 0xFF;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0xF];
        }
        return new String(out);
    }

    /** @return lower-case hex of all of {@code bytes}. */
    public static String encode(final byte[] bytes)
    {
        return encode(bytes, 0, bytes.length);
    }
}
