package io.tlsnic.nic.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * Little-endian field access for ring entries (descriptors, completions), the accessors the flyweights use. A ring
 * in a heap region (a {@code byte[]} wrapped by the store, byte {@code o} of the store at index {@code o} of the
 * array) is accessed through array view handles: bounds-checked, without the store's per-access release check,
 * which costs more than the access itself on the per-descriptor path. Any other store (direct memory) goes through
 * the store's own native-order accessors, as before. Both give the same bytes: {@link Ring} refuses big-endian hosts.
 * <p>
 * The owner word is the one field with ordering: {@link #readIntAcquire} and {@link #writeIntRelease}, on a 4-byte
 * aligned offset (array views have no ordered access modes on current JDKs, so those are a plain access and a fence).
 */
final class EntryAccess
{
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private EntryAccess()
    {
    }

    /**
     * @param s a ring's store.
     * @return the array it wraps (store offset {@code o} is index {@code o}), or {@code null} when it is not a heap
     *         store: a ring resolves this once for the accessors that take the array.
     */
    static byte[] arrayOf(final BytesStore<?, ?> s)
    {
        return array(s, 0);
    }

    /**
     * @return the store's array when it wraps one and {@code o} is an array index; otherwise {@code null}. A
     *         {@link Bytes} (which may grow on write) always goes through its own accessors.
     */
    private static byte[] array(final BytesStore<?, ?> s, final long o)
    {
        final Object a = s.underlyingObject();
        return a instanceof byte[] && o == (int)o && !(s instanceof Bytes) ? (byte[])a : null;
    }

    static int readUnsignedByte(final BytesStore<?, ?> s, final long o)
    {
        final byte[] a = array(s, o);
        return a != null ? a[(int)o] & 0xFF : s.readUnsignedByte(o);
    }

    static int readUnsignedShort(final BytesStore<?, ?> s, final long o)
    {
        final byte[] a = array(s, o);
        return a != null ? (short)SHORT.get(a, (int)o) & 0xFFFF : s.readUnsignedShort(o);
    }

    static int readInt(final BytesStore<?, ?> s, final long o)
    {
        final byte[] a = array(s, o);
        return a != null ? (int)INT.get(a, (int)o) : s.readInt(o);
    }

    static long readUnsignedInt(final BytesStore<?, ?> s, final long o)
    {
        return readInt(s, o) & 0xFFFF_FFFFL;
    }

    static long readLong(final BytesStore<?, ?> s, final long o)
    {
        final byte[] a = array(s, o);
        return a != null ? (long)LONG.get(a, (int)o) : s.readLong(o);
    }

    /** Writes an unsigned byte; a value outside [0, 255] throws {@link ArithmeticException}, as the store does. */
    static void writeUnsignedByte(final BytesStore<?, ?> s, final long o, final int v)
    {
        if ((v & ~0xFF) != 0)
        {
            throw new ArithmeticException("not an unsigned byte: " + v);
        }
        final byte[] a = array(s, o);
        if (a != null)
        {
            a[(int)o] = (byte)v;
        }
        else
        {
            s.writeUnsignedByte(o, v);
        }
    }

    /** Writes an unsigned short; a value outside [0, 65535] throws {@link ArithmeticException}, as the store does. */
    static void writeUnsignedShort(final BytesStore<?, ?> s, final long o, final int v)
    {
        if ((v & ~0xFFFF) != 0)
        {
            throw new ArithmeticException("not an unsigned short: " + v);
        }
        final byte[] a = array(s, o);
        if (a != null)
        {
            SHORT.set(a, (int)o, (short)v);
        }
        else
        {
            s.writeUnsignedShort(o, v);
        }
    }

    static void writeInt(final BytesStore<?, ?> s, final long o, final int v)
    {
        final byte[] a = array(s, o);
        if (a != null)
        {
            INT.set(a, (int)o, v);
        }
        else
        {
            s.writeInt(o, v);
        }
    }

    static void writeLong(final BytesStore<?, ?> s, final long o, final long v)
    {
        final byte[] a = array(s, o);
        if (a != null)
        {
            LONG.set(a, (int)o, v);
        }
        else
        {
            s.writeLong(o, v);
        }
    }

    /**
     * Reads a 4-byte aligned word with acquire semantics: no later load or store moves before it. Array views offer
     * plain access only, so it is a plain load followed by an acquire fence.
     */
    static int readIntAcquire(final BytesStore<?, ?> s, final long o)
    {
        final byte[] a = array(s, o);
        if (a == null)
        {
            return s.readVolatileInt(o);
        }
        final int v = (int)INT.get(a, (int)o);
        VarHandle.acquireFence();
        return v;
    }

    /** {@link #readIntAcquire(BytesStore, long)} on a ring's array ({@link #arrayOf}). */
    static int readIntAcquire(final byte[] a, final int index)
    {
        final int v = (int)INT.get(a, index);
        VarHandle.acquireFence();
        return v;
    }

    /** {@link #writeIntRelease(BytesStore, long, int)} on a ring's array ({@link #arrayOf}). */
    static void writeIntRelease(final byte[] a, final int index, final int v)
    {
        VarHandle.releaseFence();
        INT.set(a, index, v);
    }

    /**
     * Writes a 4-byte aligned word with release semantics: every load and store before it is visible first. A release
     * fence, then a plain store through the array view.
     */
    static void writeIntRelease(final BytesStore<?, ?> s, final long o, final int v)
    {
        final byte[] a = array(s, o);
        if (a != null)
        {
            VarHandle.releaseFence();
            INT.set(a, (int)o, v);
        }
        else
        {
            s.writeOrderedInt(o, v);
        }
    }
}
