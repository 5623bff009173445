package io.tlsnic.harness.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tlsnic.harness.replay.DeviceRecordReceiver;
import io.tlsnic.harness.replay.DirectionReport;
import io.tlsnic.harness.replay.FlowReport;
import io.tlsnic.harness.replay.KeySource;
import io.tlsnic.harness.replay.Replayer;

/**
 * Replay throughput against tshark on the same capture and key log, in the same run: the capture is replayed through
 * the emulated NIC (the device receiver) {@code runs} times after one untimed warm-up run in this JVM, and tshark
 * decrypts and follows every TLS stream of it {@code runs} times; the best time of each counts. Both must end with
 * the same number of plaintext bytes.
 */
public final class ReplayVsTshark
{
    /** Default capture: 4 MiB bulk, TLS 1.3 AES-128-GCM, no loss. */
    public static final String DEFAULT_CAPTURE = "pcaps/tls13-aes128gcm-bulk4m-clean.pcap";
    /** Target ratio of replay to tshark throughput. */
    public static final double TARGET_RATIO = 10;

    private ReplayVsTshark()
    {
    }

    /** tshark could not be started (not installed, or not at the path given). */
    public static final class TsharkNotFoundException extends IOException
    {
        private static final long serialVersionUID = 1L;

        /** @param message what was run and why it failed. */
        public TsharkNotFoundException(final String message)
        {
            super(message);
        }
    }

    /**
     * @param replayBytes plaintext bytes the replay delivered.
     * @param replayBestNs best replay time.
     * @param tsharkBytes plaintext bytes tshark decrypted.
     * @param tsharkBestNs best tshark time, its start included.
     * @param runs timed runs of each.
     */
    public record Measurement(long replayBytes, long replayBestNs, long tsharkBytes, long tsharkBestNs, int runs)
    {
        /** @return replay throughput, MB/s (10^6 bytes). */
        public double replayMegabytesPerSecond()
        {
            return replayBytes / (replayBestNs / 1e9) / 1e6;
        }

        /** @return tshark throughput, MB/s. */
        public double tsharkMegabytesPerSecond()
        {
            return tsharkBytes / (tsharkBestNs / 1e9) / 1e6;
        }

        /** @return replay throughput over tshark's. */
        public double ratio()
        {
            return replayMegabytesPerSecond() / tsharkMegabytesPerSecond();
        }

        /** @return whether both decrypted the same number of plaintext bytes. */
        public boolean bytesMatch()
        {
            return replayBytes == tsharkBytes;
        }
    }

    /**
     * @param capture the capture.
     * @param keys its key log.
     * @param runs timed runs of each, at least 1.
     * @param tshark the tshark binary.
     * @return both throughputs.
     * @throws TsharkNotFoundException when tshark cannot be started.
     * @throws IOException when the capture or key log cannot be read, or tshark fails on them.
     * @throws InterruptedException when interrupted while waiting for tshark.
     */
    public static Measurement measure(final Path capture, final Path keys, final int runs, final String tshark)
        throws IOException, InterruptedException
    {
        final KeySource source = KeySource.load(keys, null);
        long bytes = 0;
        long bestReplayNs = Long.MAX_VALUE;
        for (int i = 0; i <= runs; i++)
        {
            final long start = System.nanoTime();
            final Replayer.Result result = new Replayer(source, DeviceRecordReceiver.factory()).replay(capture, null);
            final long ns = System.nanoTime() - start;
            bytes = 0;
            for (final FlowReport flow : result.report().flows())
            {
                for (final DirectionReport d : flow.directions())
                {
                    bytes += d.plaintextBytes();
                }
            }
            if (i > 0)
            {
                bestReplayNs = Math.min(bestReplayNs, ns);
            }
        }
        final long tsharkBytes = tsharkPlaintextBytes(capture, keys, tshark, true);
        long bestTsharkNs = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++)
        {
            final long start = System.nanoTime();
            tsharkPlaintextBytes(capture, keys, tshark, false);
            bestTsharkNs = Math.min(bestTsharkNs, System.nanoTime() - start);
        }
        return new Measurement(bytes, bestReplayNs, tsharkBytes, bestTsharkNs, runs);
    }

    /**
     * @param capture the capture.
     * @param keys its key log as given, or null.
     * @return {@code keys}, or when null the key log beside the capture: its name with {@code .keys} for
     *     {@code .pcap} / {@code .pcapng}.
     */
    public static Path keysBeside(final Path capture, final Path keys)
    {
        return keys != null ? keys
            : capture.resolveSibling(capture.getFileName().toString().replaceAll("\\.pcapn?g?$", ".keys"));
    }

    /** Runs tshark once over every TLS stream; returns the application bytes it decrypted (when {@code count}). */
    private static long tsharkPlaintextBytes(final Path capture, final Path keys, final String tshark,
        final boolean count) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(tshark, "-r", capture.toString(), "-o",
            "tls.keylog_file:" + keys, "-o", "tcp.reassemble_out_of_order:TRUE", "-q", "-z", "follow,tls,raw,0"));
        final Process p;
        try
        {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException e)
        {
            throw new TsharkNotFoundException("cannot run " + tshark + " (apt-get install -y tshark): "
                + e.getMessage());
        }
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IOException(tshark + " failed on " + capture + ": " + output.lines().findFirst().orElse(""));
        }
        if (!count)
        {
            return 0;
        }
        // follow,tls,raw prints each chunk as one hex line (server chunks indented by a tab).
        long total = 0;
        boolean body = false;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith("====="))
            {
                body = true;
                continue;
            }
            final String hex = line.strip();
            if (body && !hex.isEmpty() && hex.matches("[0-9a-f]+") && !line.startsWith("Node"))
            {
                total += hex.length() / 2;
            }
        }
        return total;
    }
}
