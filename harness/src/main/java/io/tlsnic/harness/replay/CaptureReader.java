package io.tlsnic.harness.replay;

import java.io.Closeable;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.tlsnic.harness.cli.InputException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads the records of a pcap or pcapng file through Pcap4J (libpcap): timestamps, captured and original lengths,
 * raw bytes. Nothing is decoded here. A file libpcap cannot open or read to its end is an {@link InputException}
 * naming the file and the packet.
 */
public final class CaptureReader implements Closeable
{
    private final Path path;
    private final PcapHandle handle;
    private final LinkType linkType;
    /** The handle's {@code pcap_t} for {@link PcapNextEx}, or null to read through Pcap4J. */
    private final Pointer pcap;
    private final PointerByReference headerOut = new PointerByReference();
    private final PointerByReference dataOut = new PointerByReference();
    private long lastNumber;
    private boolean closed;

    private CaptureReader(final Path path, final PcapHandle handle, final LinkType linkType)
    {
        this.path = path;
        this.handle = handle;
        this.linkType = linkType;
        this.pcap = PcapNextEx.isAvailable() ? PcapNextEx.pcapOf(handle) : null;
    }

    /**
     * @param path a pcap or pcapng file.
     * @return a reader positioned before the first packet.
     * @throws InputException when the file is missing, is not a capture, or has a link type replay does not handle.
     */
    public static CaptureReader open(final Path path)
    {
        if (!Files.isRegularFile(path) || !Files.isReadable(path))
        {
            throw new InputException(path + ": no such readable file");
        }
        final PcapHandle handle;
        try
        {
            handle = Pcaps.openOffline(path.toString(), PcapHandle.TimestampPrecision.NANO);
        }
        catch (final PcapNativeException e)
        {
            throw new InputException(path + ": not a pcap or pcapng capture (libpcap: " + oneLine(e) + ")");
        }
        final int dlt = handle.getDlt().value();
        final LinkType linkType = LinkType.fromDlt(dlt);
        if (linkType == null)
        {
            handle.close();
            throw new InputException(path + ": link type " + dlt + " (" + handle.getDlt().name()
                + ") is not supported; replay reads Ethernet (1), raw IP (12/101), Linux SLL (113), SLL2 (276),"
                + " BSD loopback NULL (0) and LOOP (108)");
        }
        return new CaptureReader(path, handle, linkType);
    }

    /** @return the capture's link type. */
    public LinkType linkType()
    {
        return linkType;
    }

    /**
     * @return the next packet, or {@code null} at the end of the file.
     * @throws InputException when the file ends inside a packet or libpcap cannot read it.
     */
    public CapturedFrame next()
    {
        if (closed)
        {
            // libpcap's handle is freed: reading it would be a use after free, not an exception.
            throw new IllegalStateException("capture reader of " + path + " is closed");
        }
        if (pcap != null)
        {
            return nextDirect();
        }
        final byte[] data;
        try
        {
            data = handle.getNextRawPacketEx();
        }
        catch (final EOFException e)
        {
            return null;
        }
        catch (final PcapNativeException e)
        {
            throw new InputException(path + ": packet " + (lastNumber + 1) + " cannot be read, the file is "
                + (lastNumber == 0 ? "damaged before the first packet" : "truncated or damaged after packet "
                + lastNumber) + " (libpcap: " + oneLine(e) + ")");
        }
        catch (final TimeoutException | NotOpenException e)
        {
            throw new IllegalStateException("offline handle of " + path + " failed: " + e, e);
        }
        lastNumber++;
        final java.sql.Timestamp time = handle.getTimestamp();
        final long timestampNs = Math.floorDiv(time.getTime(), 1000L) * 1_000_000_000L + time.getNanos();
        final Integer originalLength = handle.getOriginalLength();
        return new CapturedFrame(lastNumber, timestampNs, data.length,
            originalLength == null ? data.length : originalLength, data);
    }

    /** {@link #next} through {@link PcapNextEx}: the same packets, timestamps, lengths and errors. */
    private CapturedFrame nextDirect()
    {
        final int rc = PcapNextEx.next(pcap, headerOut, dataOut);
        if (rc == PcapNextEx.END_OF_FILE)
        {
            return null;
        }
        if (rc != PcapNextEx.OK)
        {
            String reason;
            try
            {
                reason = handle.getError();
            }
            catch (final NotOpenException e)
            {
                reason = "handle closed";
            }
            throw new InputException(path + ": packet " + (lastNumber + 1) + " cannot be read, the file is "
                + (lastNumber == 0 ? "damaged before the first packet" : "truncated or damaged after packet "
                + lastNumber) + " (libpcap: " + (reason == null ? "error " + rc : reason.strip().replace('\n', ' '))
                + ")");
        }
        lastNumber++;
        final Pointer header = headerOut.getValue();
        final int capturedLength = header.getInt(PcapNextEx.CAPLEN_OFFSET);
        final int originalLength = header.getInt(PcapNextEx.LEN_OFFSET);
        final long timestampNs = header.getLong(0) * 1_000_000_000L + header.getLong(PcapNextEx.FRACTION_OFFSET);
        final byte[] data = dataOut.getValue().getByteArray(0, capturedLength);
        return new CapturedFrame(lastNumber, timestampNs, capturedLength, originalLength, data);
    }

    @Override
    public void close()
    {
        closed = true;
        handle.close();
    }

    private static String oneLine(final Exception e)
    {
        final String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.strip().replace('\n', ' ');
    }
}
