package io.tlsnic.harness.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Host cost per application byte of kTLS with the record layer offloaded to the NIC, against software kTLS on the
 * same NIC with no TLS offload: TLS 1.3 AES-128-GCM, one direction, records of {@code recordLength} bytes written
 * with {@code send} (one record per call) or {@code sendfile} (one record per call, from a file), read with
 * {@code recv} into a 64 KiB buffer.
 *
 * <p>Host cost is the CPU time of what a host CPU would execute: the kTLS socket layer, TCP and the driver. Two
 * {@link KtlsTransfer}s, one offloaded and one in software, move the data as the emulator always does (two hosts,
 * each with stack, driver and NIC, on one thread and the virtual clock) while the wall-clock time of each host's own
 * code is added up: the application's socket calls and every driver poll that did work. The sending host's time is
 * the send path, the receiving host's the receive path. Each invocation moves {@link #BYTES_PER_INVOCATION} through
 * both, one after the other (which goes first alternates), so both modes see the same machine: on a shared machine
 * their ratio is the figure to read. The brackets are wall-clock ({@link System#nanoTime()}, cheap enough to put
 * around each call) and are scaled by the CPU time the thread got over the wall-clock time of the invocations
 * ({@link #hostCpuNs}), which takes out the time the thread was descheduled.
 *
 * <p>Every byte received is compared with the byte sent; at the end of each iteration every byte sent must have
 * arrived and each mode must have run as it says (device counters for offload, none for software). The primary
 * score is the application bytes per second of both whole systems together; the host figures are the
 * {@link HostTime} counters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HostCostBenchmark
{
    /** Application bytes moved per invocation in each mode. */
    public static final int BYTES_PER_INVOCATION = 256 * 1024;
    /** Bytes of seeded data the sender cycles through (a multiple of every record length). */
    static final int PATTERN_LENGTH = 1 << 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** send: {@code send(2)} from a buffer; sendfile: {@code sendfile(2)} from a file. */
    @Param({"send", "sendfile"})
    public String api;

    /** Application bytes per record (per call). */
    @Param({"64", "1024", "4096", "16384"})
    public int recordLength;

    private Path file;
    private FileChannel channel;
    private KtlsTransfer offload;
    private KtlsTransfer software;
    private boolean offloadFirst;

    /** Host nanoseconds and application bytes of the measured iterations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class HostTime
    {
        /** Wall-clock nanoseconds of the offloaded sender's host code. */
        public long offloadSendNs;
        /** Wall-clock nanoseconds of the offloaded receiver's host code. */
        public long offloadReceiveNs;
        /** Wall-clock nanoseconds of the software sender's host code. */
        public long softwareSendNs;
        /** Wall-clock nanoseconds of the software receiver's host code. */
        public long softwareReceiveNs;
        /** Application bytes delivered in each mode. */
        public long applicationBytes;
        /** Wall-clock nanoseconds of the invocations. */
        public long wallNs;
        /** CPU nanoseconds the benchmark thread got during them. */
        public long threadCpuNs;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset()
        {
            offloadSendNs = 0;
            offloadReceiveNs = 0;
            softwareSendNs = 0;
            softwareReceiveNs = 0;
            applicationBytes = 0;
            wallNs = 0;
            threadCpuNs = 0;
        }
    }

    /**
     * Host CPU time from the wall-clock time measured around host code: the thread is descheduled now and then on a
     * shared machine, inside host code or outside it alike, so the wall-clock share of host code times the CPU time
     * the thread got is the host code's CPU time.
     *
     * @param pathNs one of the path counters of {@link HostTime} (or its sum over iterations).
     * @param wall {@link HostTime#wallNs} over the same iterations.
     * @param cpu {@link HostTime#threadCpuNs} over the same iterations.
     * @return CPU nanoseconds of that host.
     */
    public static double hostCpuNs(final double pathNs, final double wall, final double cpu)
    {
        return wall > 0 && cpu > 0 ? pathNs * Math.min(1, cpu / wall) : pathNs;
    }

    /** The data, the file for sendfile, and both transfers. */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final boolean useSendfile = switch (api)
        {
            case "send" -> false;
            case "sendfile" -> true;
            default -> throw new IllegalArgumentException("api must be send or sendfile, got " + api);
        };
        final byte[] pattern = new byte[PATTERN_LENGTH];
        new SplittableRandom(recordLength).nextBytes(pattern);
        if (useSendfile)
        {
            file = Files.createTempFile("tlsnic-hostcost", ".bin");
            Files.write(file, pattern);
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
        offload = new KtlsTransfer(true, recordLength, pattern, channel, 17);
        software = new KtlsTransfer(false, recordLength, pattern, channel, 17);
    }

    /** Moves {@link #BYTES_PER_INVOCATION} more application bytes through each transfer. */
    @Benchmark
    @OperationsPerInvocation(2 * BYTES_PER_INVOCATION)
    public long transfer(final HostTime time)
    {
        final long cpuStart = THREADS.getCurrentThreadCpuTime();
        final long wallStart = System.nanoTime();
        offloadFirst = !offloadFirst;
        (offloadFirst ? offload : software).transfer(BYTES_PER_INVOCATION);
        (offloadFirst ? software : offload).transfer(BYTES_PER_INVOCATION);
        time.wallNs += System.nanoTime() - wallStart;
        time.threadCpuNs += THREADS.getCurrentThreadCpuTime() - cpuStart;
        time.offloadSendNs += offload.takeSendPathNs();
        time.offloadReceiveNs += offload.takeReceivePathNs();
        time.softwareSendNs += software.takeSendPathNs();
        time.softwareReceiveNs += software.takeReceivePathNs();
        time.applicationBytes += BYTES_PER_INVOCATION;
        return time.applicationBytes;
    }

    /** Every byte sent arrived in both modes, and each ran as it says. */
    @TearDown(Level.Iteration)
    public void verify()
    {
        offload.verify();
        software.verify();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (offload != null)
        {
            offload.close();
        }
        if (software != null)
        {
            software.close();
        }
        if (channel != null)
        {
            channel.close();
            Files.deleteIfExists(file);
        }
    }
}
