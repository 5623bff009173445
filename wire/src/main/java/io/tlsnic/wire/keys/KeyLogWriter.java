package io.tlsnic.wire.keys;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes NSS key log lines ({@code <label> <client_random> <secret>}, lower-case hex, LF) that {@link KeyLog},
 * Wireshark and tshark read. Each entry is flushed as it is written, as {@code SSLKEYLOGFILE} writers do, so that
 * the file is usable while the connection is still running or after a crash. Entries are checked with the same
 * rules the parser applies, so every written line parses back.
 */
public final class KeyLogWriter implements Closeable, Flushable
{
    private static final HexFormat HEX = HexFormat.of();

    private final Writer out;

    /**
     * @param out destination; closed by {@link #close()}.
     */
    public KeyLogWriter(final Writer out)
    {
        this.out = out;
    }

    /**
     * @param path file to create or append to.
     * @return a writer appending to the file.
     * @throws IOException when the file cannot be opened.
     */
    public static KeyLogWriter append(final Path path) throws IOException
    {
        final BufferedWriter writer = Files.newBufferedWriter(
            path, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new KeyLogWriter(writer);
    }

    /**
     * @param text comment text; written after "# ", one line.
     * @throws IOException when writing fails.
     */
    public void comment(final String text) throws IOException
    {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)
        {
            throw new IllegalArgumentException("a key log comment must be one line");
        }
        out.write("# " + text + '\n');
        out.flush();
    }

    /**
     * @param label        e.g. {@link KeyLog#CLIENT_TRAFFIC_SECRET_0}.
     * @param clientRandom 32 bytes.
     * @param secret       48 bytes for {@link KeyLog#CLIENT_RANDOM}, 32 or 48 bytes otherwise.
     * @throws IOException when writing fails.
     */
    public void write(final String label, final byte[] clientRandom, final byte[] secret) throws IOException
    {
        final String problem = KeyLog.entryProblem(label, clientRandom.length, secret.length, "");
        if (problem != null)
        {
            throw new IllegalArgumentException("not a valid key log entry: " + problem);
        }
        // The secret's hex goes through a char[] that is wiped afterwards, never through a String.
        final char[] secretHex = new char[2 * secret.length];
        for (int i = 0; i < secret.length; i++)
        {
            secretHex[2 * i] = HEX.toHighHexDigit(secret[i]);
            secretHex[2 * i + 1] = HEX.toLowHexDigit(secret[i]);
        }
        try
        {
            out.write(label + ' ' + HEX.formatHex(clientRandom) + ' ');
            out.write(secretHex);
            out.write('\n');
            out.flush();
        }
        finally
        {
            Arrays.fill(secretHex, '\0');
        }
    }

    /**
     * @param entry an entry of a parsed log.
     * @throws IOException when writing fails.
     */
    public void write(final KeyLog.Entry entry) throws IOException
    {
        final byte[] secret = entry.secret();
        try
        {
            write(entry.label(), entry.clientRandom(), secret);
        }
        finally
        {
            Arrays.fill(secret, (byte)0);
        }
    }

    /**
     * @param log every usable entry, in file order.
     * @throws IOException when writing fails.
     */
    public void writeAll(final KeyLog log) throws IOException
    {
        for (final KeyLog.Entry entry : log.entries())
        {
            write(entry);
        }
    }

    @Override
    public void flush() throws IOException
    {
        out.flush();
    }

    @Override
    public void close() throws IOException
    {
        out.close();
    }
}
