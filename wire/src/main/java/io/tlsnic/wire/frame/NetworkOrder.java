package io.tlsnic.wire.frame;

import java.nio.ByteOrder;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Big-endian (network order) reads and writes over a {@link BytesStore}, whose own accessors are in native order.
 * Also the bounds checks every flyweight shares: Chronicle's heap stores do not check indices, so a read past the
 * end would return whatever lies beyond the array; every caller checks here first.
 */
final class NetworkOrder
{
    static final boolean NATIVE_IS_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private NetworkOrder()
    {
    }

    static int getUnsignedByte(final BytesStore<?, ?> store, final long index)
    {
        return store.readUnsignedByte(index);
    }

    static int getUnsignedShort(final BytesStore<?, ?> store, final long index)
    {
        final short value = store.readShort(index);
        return (NATIVE_IS_BIG_ENDIAN ? value : Short.reverseBytes(value)) & 0xFFFF;
    }

    static int getInt(final BytesStore<?, ?> store, final long index)
    {
        final int value = store.readInt(index);
        return NATIVE_IS_BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    static long getUnsignedInt(final BytesStore<?, ?> store, final long index)
    {
        return getInt(store, index) & 0xFFFF_FFFFL;
    }

    static long getLong(final BytesStore<?, ?> store, final long index)
    {
        final long value = store.readLong(index);
        return NATIVE_IS_BIG_ENDIAN ? value : Long.reverseBytes(value);
    }

    /** Reads a 48-bit MAC address into the low bits of a long. */
    static long getMac(final BytesStore<?, ?> store, final long index)
    {
        return ((long)getUnsignedShort(store, index) << 32) | getUnsignedInt(store, index + 2);
    }

    static void putByte(final BytesStore<?, ?> store, final long index, final int value)
    {
        store.writeByte(index, (byte)value);
    }

    static void putShort(final BytesStore<?, ?> store, final long index, final int value)
    {
        final short v = (short)value;
        store.writeShort(index, NATIVE_IS_BIG_ENDIAN ? v : Short.reverseBytes(v));
    }

    static void putInt(final BytesStore<?, ?> store, final long index, final int value)
    {
        store.writeInt(index, NATIVE_IS_BIG_ENDIAN ? value : Integer.reverseBytes(value));
    }

    static void putLong(final BytesStore<?, ?> store, final long index, final long value)
    {
        store.writeLong(index, NATIVE_IS_BIG_ENDIAN ? value : Long.reverseBytes(value));
    }

    static void putMac(final BytesStore<?, ?> store, final long index, final long mac)
    {
        putShort(store, index, (int)(mac >>> 32));
        putInt(store, index + 2, (int)mac);
    }

    /**
     * Checks that {@code [offset, offset + length)} lies inside the store, for a flyweight about to be wrapped.
     *
     * @throws IndexOutOfBoundsException naming the layout, the offset and what the store holds.
     */
    static void checkRange(final String layout, final BytesStore<?, ?> store, final long offset, final long length)
    {
        if (length < 0 || offset < store.start() || offset + length > store.readLimit() || offset + length < offset)
        {
            throw new IndexOutOfBoundsException(
                layout + " of " + length + " bytes at offset " + offset + " does not fit in store [" + store.start() +
                ", " + store.readLimit() + ")");
        }
    }

    /**
     * Checks that a header of {@code needed} bytes fits in the {@code available} bytes a flyweight was wrapped over.
     *
     * @throws IndexOutOfBoundsException naming the field, the offset and the available length.
     */
    static void checkFits(
        final String what, final int needed, final long available, final long offset)
    {
        if (needed > available)
        {
            throw new IndexOutOfBoundsException(
                what + " needs " + needed + " bytes but " + available + " bytes are available at offset " + offset);
        }
    }
}
