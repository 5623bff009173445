package io.tlsnic.harness.scenario;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap file with nanosecond timestamps (magic {@code a1b23c4d}), Ethernet link type, little-endian.
 * <pre>
 *   file header (24 bytes)                    record header (16 bytes), then the frame
 *   0  magic      a1b23c4d (ns resolution)     0  seconds
 *   4  version    2.4                          4  nanoseconds
 *   8  thiszone   0, sigfigs 0                 8  captured length
 *   16 snaplen    262144                       12 original length
 *   20 linktype   1 (Ethernet)
 * </pre>
 * The output depends only on the frames and their times: same scenario and seed, same bytes.
 */
public final class PcapWriter implements Closeable
{
    private static final int SNAPLEN = 262144;
    private static final int LINKTYPE_ETHERNET = 1;

    private final OutputStream out;
    private final byte[] header = new byte[24];
    private long frames;

    /**
     * @param path the file (replaced).
     * @throws IOException if it cannot be created.
     */
    public PcapWriter(final Path path) throws IOException
    {
        this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        putInt(header, 0, 0xA1B23C4D);
        header[4] = 2;
        header[6] = 4;
        putInt(header, 16, SNAPLEN);
        putInt(header, 20, LINKTYPE_ETHERNET);
        out.write(header, 0, 24);
    }

    /**
     * @param timeNs capture time in ns since the epoch of the capture (virtual time here).
     * @param frame frame bytes.
     * @param length frame length.
     * @throws IOException if writing fails.
     */
    public void write(final long timeNs, final byte[] frame, final int length) throws IOException
    {
        putInt(header, 0, (int)(timeNs / 1_000_000_000L));
        putInt(header, 4, (int)(timeNs % 1_000_000_000L));
        final int captured = Math.min(length, SNAPLEN);
        putInt(header, 8, captured);
        putInt(header, 12, length);
        out.write(header, 0, 16);
        out.write(frame, 0, captured);
        frames++;
    }

    /** @return frames written. */
    public long frames()
    {
        return frames;
    }

    @Override
    public void close() throws IOException
    {
        out.close();
    }

    private static void putInt(final byte[] b, final int at, final int v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >>> 8);
        b[at + 2] = (byte)(v >>> 16);
        b[at + 3] = (byte)(v >>> 24);
    }
}
