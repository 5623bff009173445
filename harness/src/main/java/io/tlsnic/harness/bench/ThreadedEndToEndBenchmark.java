package io.tlsnic.harness.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.tlsnic.harness.scenario.ThreadedRun;

/**
 * End-to-end throughput in threaded mode: two hosts on one thread (TCP, kTLS, the applications, both drivers), both
 * NICs and the link on another, {@link #flows} TLS 1.3 AES-128-GCM flows moving {@link #bytesPerFlow} each way in
 * 16 KiB records over a link that loses {@link #lossPercent} of its frames (seeded). {@link #mode}
 * {@code offload}: the NICs encrypt and decrypt inline; {@code software}: the same NICs without TLS capability, the
 * hosts encrypt and decrypt (software kTLS); same inputs, same threads.
 *
 * <p>One operation is one whole run: set-up (TCP handshakes, kTLS, context installs) and transfer, every byte
 * checked as it arrives (a wrong byte throws and fails the run). The primary score is the time of a whole run;
 * the figure that matters is the transfer alone, counted in {@link Transfer}: payload bytes and wall-clock
 * nanoseconds from the transfer's start to its last byte checked, whose quotient is the throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThreadedEndToEndBenchmark
{
    /** {@code offload} or {@code software}. */
    @Param({"offload", "software"})
    public String mode;

    /** Frames the link loses, percent. */
    @Param({"0", "1", "5"})
    public double lossPercent;

    /** Flows at once. */
    @Param("4")
    public int flows;

    /** Bytes each flow sends each way per run. */
    @Param("4194304")
    public long bytesPerFlow;

    private long seed;
    private long runs;
    private long bytesChecked;

    /** The transfer's payload bytes and time, summed over an iteration's runs. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Transfer
    {
        /** Payload bytes moved and checked, both directions of every flow. */
        public long payloadBytes;
        /** Wall-clock nanoseconds of the transfers. */
        public long transferNanos;
        /** Wall-clock nanoseconds of the whole runs (set-up and transfer). */
        public long runNanos;
        /** Nanoseconds of the host thread's duty cycles that did work, over the whole runs. */
        public long hostBusyNanos;
        /** Nanoseconds of the device thread's duty cycles that did work, over the whole runs. */
        public long deviceBusyNanos;

        @Setup(Level.Iteration)
        public void reset()
        {
            payloadBytes = 0;
            transferNanos = 0;
            runNanos = 0;
            hostBusyNanos = 0;
            deviceBusyNanos = 0;
        }
    }

    @Setup(Level.Trial)
    public void checkMode()
    {
        if (!"offload".equals(mode) && !"software".equals(mode))
        {
            throw new IllegalArgumentException("mode must be offload or software, got " + mode);
        }
    }

    @Setup(Level.Iteration)
    public void resetChecks()
    {
        runs = 0;
        bytesChecked = 0;
    }

    /** One whole run; every byte checked. @return payload bytes moved. */
    @Benchmark
    public long run(final Transfer transfer)
    {
        // Seeds 1, 2, 3 ... in every fork: the same inputs for both modes.
        final ThreadedRun.Result r = ThreadedRun.run("offload".equals(mode), lossPercent, flows, bytesPerFlow, ++seed,
            ThreadedRun.DEFAULT_CYCLE_LIMIT);
        transfer.payloadBytes += r.payloadBytes();
        transfer.transferNanos += r.transferNs();
        transfer.runNanos += r.setupNs() + r.transferNs();
        transfer.hostBusyNanos += r.hostBusyNs();
        transfer.deviceBusyNanos += r.deviceBusyNs();
        runs++;
        bytesChecked += r.payloadBytes();
        return r.payloadBytes();
    }

    /** Every run of the iteration moved every byte of every flow, each way. */
    @TearDown(Level.Iteration)
    public void verify()
    {
        if (bytesChecked != runs * 2 * flows * bytesPerFlow)
        {
            throw new IllegalStateException(runs + " runs checked " + bytesChecked + " bytes, expected "
                + runs * 2 * flows * bytesPerFlow);
        }
    }
}
