package io.tlsnic.harness.replay;

import java.lang.reflect.Field;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import org.pcap4j.core.PcapHandle;

/**
 * libpcap's {@code pcap_next_ex} on the {@code pcap_t} of a Pcap4J {@link PcapHandle}, called through a JNA direct
 * mapping with the caller's two reused out-pointers. Pcap4J's {@code getNextRawPacketEx} allocates two native
 * out-pointers per packet (each registered in JNA's table of live memory and with its cleaner) and takes a lock:
 * about a quarter of a replay's time on the bundled 4 MiB capture. Opening, link type, errors and closing stay
 * Pcap4J's.
 *
 * <p>The handle is read from Pcap4J's private field {@code handle} (Pcap4J 1.8.2); where that or the mapping fails
 * {@link #isAvailable()} is false and the reader uses Pcap4J's own call.
 *
 * <p>{@code struct pcap_pkthdr} on LP64 Linux, as {@code pcap_next_ex} returns it:
 *
 * <pre>
 *   0                   8                   16        20        24
 *   +-------------------+-------------------+---------+---------+
 *   |  tv_sec (long)    |  tv_usec (long)   | caplen  |  len    |
 *   +-------------------+-------------------+---------+---------+
 *   tv_usec holds nanoseconds when the file was opened with nanosecond precision.
 * </pre>
 */
final class PcapNextEx
{
    /** {@code pcap_next_ex}: a packet was read. */
    static final int OK = 1;
    /** {@code pcap_next_ex}: no more packets in the file. */
    static final int END_OF_FILE = -2;
    /** Offset of {@code caplen} in {@code struct pcap_pkthdr}. */
    static final int CAPLEN_OFFSET = 16;
    /** Offset of {@code len} in {@code struct pcap_pkthdr}. */
    static final int LEN_OFFSET = 20;
    /** Offset of {@code tv_usec} (nanoseconds here) in {@code struct pcap_pkthdr}. */
    static final int FRACTION_OFFSET = 8;

    private static final Field HANDLE = handleField();

    private PcapNextEx()
    {
    }

    private static Field handleField()
    {
        try
        {
            if (Native.LONG_SIZE != 8)
            {
                return null; // the header layout above is LP64's
            }
            Native.register(PcapNextEx.class, NativeLibrary.getInstance(
                System.getProperty("org.pcap4j.core.pcapLibName", "pcap")));
            final Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            return field.getType() == Pointer.class ? field : null;
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError e)
        {
            return null;
        }
    }

    /** @return whether {@link #pcapOf} and {@link #next} can be used. */
    static boolean isAvailable()
    {
        return HANDLE != null;
    }

    /** @return the {@code pcap_t} behind an open handle, or null when it cannot be read. */
    static Pointer pcapOf(final PcapHandle handle)
    {
        try
        {
            return HANDLE == null ? null : (Pointer)HANDLE.get(handle);
        }
        catch (final IllegalAccessException | RuntimeException e)
        {
            return null;
        }
    }

    /**
     * @param pcap an open offline {@code pcap_t}.
     * @param header set to the packet's header on {@link #OK}.
     * @param data set to the packet's bytes on {@link #OK} (valid until the next call).
     * @return {@link #OK}, {@link #END_OF_FILE}, or -1 on an error ({@code pcap_geterr} says which).
     */
    static int next(final Pointer pcap, final PointerByReference header, final PointerByReference data)
    {
        return pcap_next_ex(pcap, header, data);
    }

    private static native int pcap_next_ex(Pointer pcap, PointerByReference header, PointerByReference data);
}
