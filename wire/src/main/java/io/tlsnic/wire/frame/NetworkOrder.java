package io.tlsnic.wire.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * Big-endian (network order) reads and writes over a {@link BytesStore}, whose own accessors are in native order.
 * Also the bounds checks every flyweight shares: Chronicle's heap stores do not check indices, so a read past the
 * end would return whatever lies beyond the array; every caller checks here first.
 * <p>
 * A store that wraps a {@code byte[]} (every frame buffer the model builds) is read and written through big-endian
 * array views: one bounds-checked access, without the store's per-access release check that otherwise costs more
 * than the access on the per-packet path. Other stores go through their own accessors.
 */
final class NetworkOrder
{
    static final boolean NATIVE_IS_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private NetworkOrder()
    {
    }

    static int getUnsignedByte(final BytesStore<?, ?> store, final long index)
    {
        final byte[] a = array(store, index);
        return a != null ? a[(int)index] & 0xFF : store.readUnsignedByte(index);
    }

    static int getUnsignedShort(final BytesStore<?, ?> store, final long index)
    {
        final byte[] a = array(store, index);
        if (a != null)
        {
            return (short)SHORT.get(a, (int)index) & 0xFFFF;
        }
        final short value = store.readShort(index);
        return (NATIVE_IS_BIG_ENDIAN ? value : Short.reverseBytes(value)) & 0xFFFF;
    }

    static int getInt(final BytesStore<?, ?> store, final long index)
    {
        final byte[] a = array(store, index);
        if (a != null)
        {
            return (int)INT.get(a, (int)index);
        }
        final int value = store.readInt(index);
        return NATIVE_IS_BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    static long getUnsignedInt(final BytesStore<?, ?> store, final long index)
    {
        return getInt(store, index) & 0xFFFF_FFFFL;
    }

    static long getLong(final BytesStore<?, ?> store, final long index)
    {
        final byte[] a = array(store, index);
        if (a != null)
        {
            return (long)LONG.get(a, (int)index);
        }
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
        final byte[] a = array(store, index);
        if (a != null)
        {
            a[(int)index] = (byte)value;
        }
        else
        {
            store.writeByte(index, (byte)value);
        }
    }

    static void putShort(final BytesStore<?, ?> store, final long index, final int value)
    {
        final short v = (short)value;
        final byte[] a = array(store, index);
        if (a != null)
        {
            SHORT.set(a, (int)index, v);
        }
        else
        {
            store.writeShort(index, NATIVE_IS_BIG_ENDIAN ? v : Short.reverseBytes(v));
        }
    }

    static void putInt(final BytesStore<?, ?> store, final long index, final int value)
    {
        final byte[] a = array(store, index);
        if (a != null)
        {
            INT.set(a, (int)index, value);
        }
        else
        {
            store.writeInt(index, NATIVE_IS_BIG_ENDIAN ? value : Integer.reverseBytes(value));
        }
    }

    static void putLong(final BytesStore<?, ?> store, final long index, final long value)
    {
        final byte[] a = array(store, index);
        if (a != null)
        {
            LONG.set(a, (int)index, value);
        }
        else
        {
            store.writeLong(index, NATIVE_IS_BIG_ENDIAN ? value : Long.reverseBytes(value));
        }
    }

    static void putMac(final BytesStore<?, ?> store, final long index, final long mac)
    {
        putShort(store, index, (int)(mac >>> 32));
        putInt(store, index + 2, (int)mac);
    }

    /**
     * @return the array a heap store wraps (byte {@code index} of the store is {@code array[index]}) when
     *         {@code index} is an array index, else {@code null}: the caller then goes through the store. A
     *         {@link Bytes} (which may grow on write) always goes through its own accessors.
     */
    static byte[] array(final BytesStore<?, ?> store, final long index)
    {
        final Object o = store.underlyingObject();
        return o instanceof byte[] && index == (int)index && !(store instanceof Bytes) ? (byte[])o : null;
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
