package io.tlsnic.nic.reg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.tlsnic.nic.ring.RingIndex;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;

/**
 * A bank of 64-bit MMIO registers as data plus a handler table, in the manner of qemu's igb/e1000e cores: each
 * defined register has a name, an access right, an optional write handler (validation and side effects) and an
 * optional read handler (computed values such as counters). Offsets are bytes from the start of the bank and must
 * be 8-byte aligned.
 * <p>
 * Host (MMIO) side: {@link #read} and {@link #write}. A write that is unaligned, out of range, to an undefined or
 * read-only register, or refused by its handler changes nothing and counts {@code reg_write_illegal}; such a read
 * returns 0 and counts {@code reg_read_illegal}. Nothing is thrown: a device never faults on a bad MMIO access.
 * Device side: {@link #get} and {@link #set} bypass rights and handlers (the device updates its read-only status
 * registers). Values are stored with release semantics and read with acquire semantics, so a doorbell write
 * publishes the ring entries written before it to a device agent on another thread.
 */
public final class RegisterFile
{
    /** Every register is 8 bytes. */
    public static final int REGISTER_LENGTH = 8;

    /** Access rights from the host. */
    public enum Access
    {
        /** Host reads only; the device sets the value. */
        READ_ONLY,
        /** Host reads and writes. */
        READ_WRITE
    }

    /** Validates a host write and performs its side effects. */
    @FunctionalInterface
    public interface WriteHandler
    {
        /**
         * @param offset register offset.
         * @param oldValue current value.
         * @param newValue value written.
         * @return false to refuse the write (value unchanged, counted as illegal).
         */
        boolean onWrite(int offset, long oldValue, long newValue);
    }

    /** Computes a register's value on a host read. */
    @FunctionalInterface
    public interface ReadHandler
    {
        /**
         * @param offset register offset.
         * @return the value read.
         */
        long onRead(int offset);
    }

    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values;
    private final String[] names;
    private final Access[] access;
    private final WriteHandler[] writeHandlers;
    private final ReadHandler[] readHandlers;
    private final NicCounterSet counters;

    /**
     * @param lengthBytes size of the bank, a multiple of 8.
     * @param counters where illegal accesses are counted.
     */
    public RegisterFile(final int lengthBytes, final NicCounterSet counters)
    {
        if (lengthBytes <= 0 || lengthBytes % REGISTER_LENGTH != 0)
        {
            throw new IllegalArgumentException("register bank length " + lengthBytes + " is not a multiple of 8");
        }
        final int n = lengthBytes / REGISTER_LENGTH;
        values = new long[n];
        names = new String[n];
        access = new Access[n];
        writeHandlers = new WriteHandler[n];
        readHandlers = new ReadHandler[n];
        this.counters = counters;
    }

    /**
     * Defines a register.
     *
     * @param offset byte offset, 8-aligned, inside the bank, not yet defined.
     * @param name name for diagnostics.
     * @param rights access from the host.
     * @param resetValue initial value.
     * @param writeHandler validation and side effects of host writes, or {@code null} to accept any value.
     * @param readHandler computes host reads, or {@code null} to return the stored value.
     */
    public void define(
        final int offset, final String name, final Access rights, final long resetValue,
        final WriteHandler writeHandler, final ReadHandler readHandler)
    {
        final int i = index(offset);
        if (i < 0 || names[i] != null)
        {
            throw new IllegalArgumentException(String.format("register 0x%x (%s): bad or duplicate offset", offset,
                name));
        }
        names[i] = name;
        access[i] = rights;
        writeHandlers[i] = writeHandler;
        readHandlers[i] = readHandler;
        VALUES.setRelease(values, i, resetValue);
    }

    /**
     * Host MMIO read.
     *
     * @param offset byte offset.
     * @return the value, or 0 (counted) for an illegal offset.
     */
    public long read(final int offset)
    {
        final int i = index(offset);
        if (i < 0 || names[i] == null)
        {
            counters.increment(NicCounters.REG_READ_ILLEGAL);
            return 0;
        }
        final ReadHandler h = readHandlers[i];
        return h != null ? h.onRead(offset) : (long)VALUES.getAcquire(values, i);
    }

    /**
     * Host MMIO write.
     *
     * @param offset byte offset.
     * @param value value.
     * @return whether the write took effect (false: counted in {@code reg_write_illegal}).
     */
    public boolean write(final int offset, final long value)
    {
        final int i = index(offset);
        if (i < 0 || names[i] == null || access[i] != Access.READ_WRITE)
        {
            counters.increment(NicCounters.REG_WRITE_ILLEGAL);
            return false;
        }
        final WriteHandler h = writeHandlers[i];
        if (h != null && !h.onWrite(offset, (long)VALUES.getAcquire(values, i), value))
        {
            counters.increment(NicCounters.REG_WRITE_ILLEGAL);
            return false;
        }
        VALUES.setRelease(values, i, value);
        return true;
    }

    /**
     * Device-side read of the stored value (acquire).
     *
     * @param offset byte offset of a defined register.
     * @return its value.
     */
    public long get(final int offset)
    {
        return (long)VALUES.getAcquire(values, checkedIndex(offset));
    }

    /**
     * Device-side update, bypassing rights and handlers (release).
     *
     * @param offset byte offset of a defined register.
     * @param value new value.
     */
    public void set(final int offset, final long value)
    {
        VALUES.setRelease(values, checkedIndex(offset), value);
    }

    /**
     * @param offset byte offset.
     * @return the register's name, or {@code null} when none is defined there.
     */
    public String nameOf(final int offset)
    {
        final int i = index(offset);
        return i < 0 ? null : names[i];
    }

    /**
     * @param offset an index register (tail doorbell, CQ head; or a read-only head the host polls).
     * @return the host's view: {@code set} is an MMIO write (validated), {@code get} an MMIO read. The register's
     *         slot, rights and handlers are looked up once here, as a doorbell is written on every post: the view
     *         behaves exactly as {@link #write} and {@link #read} at its offset.
     */
    public RingIndex hostIndex(final int offset)
    {
        final int i = checkedIndex(offset);
        final boolean writable = access[i] == Access.READ_WRITE;
        final WriteHandler writeHandler = writeHandlers[i];
        final ReadHandler readHandler = readHandlers[i];
        return new RingIndex()
        {
            @Override
            public long get()
            {
                return readHandler != null ? readHandler.onRead(offset) : (long)VALUES.getAcquire(values, i);
            }

            @Override
            public void set(final long value)
            {
                if (!writable
                    || writeHandler != null && !writeHandler.onWrite(offset, (long)VALUES.getAcquire(values, i), value))
                {
                    counters.increment(NicCounters.REG_WRITE_ILLEGAL);
                    return;
                }
                VALUES.setRelease(values, i, value);
            }
        };
    }

    /**
     * @param offset an index register.
     * @return the device's view: plain acquire/release access to the stored value.
     */
    public RingIndex deviceIndex(final int offset)
    {
        // Checked once here, not on every access: the device touches these on every packet.
        final int i = checkedIndex(offset);
        return new RingIndex()
        {
            @Override
            public long get()
            {
                return (long)VALUES.getAcquire(values, i);
            }

            @Override
            public void set(final long value)
            {
                VALUES.setRelease(values, i, value);
            }
        };
    }

    private int index(final int offset)
    {
        if (offset < 0 || (offset & (REGISTER_LENGTH - 1)) != 0 || offset / REGISTER_LENGTH >= values.length)
        {
            return -1;
        }
        return offset / REGISTER_LENGTH;
    }

    private int checkedIndex(final int offset)
    {
        final int i = index(offset);
        if (i < 0 || names[i] == null)
        {
            throw new IllegalArgumentException(String.format("no register at 0x%x", offset));
        }
        return i;
    }
}
