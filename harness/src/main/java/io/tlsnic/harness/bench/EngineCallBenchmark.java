package io.tlsnic.harness.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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

import io.tlsnic.wire.crypto.AesGcmStream;
import io.tlsnic.wire.crypto.JceAead;
import io.tlsnic.wire.tls.TlsCipher;

/**
 * The fixed cost of one {@link AesGcmStream#update} call (for the native kernel: the JNI transition and pinning
 * both arrays): one record of {@code calls} one-block segments per operation. The cost per call is the slope,
 * {@code (time(64 calls) - time(1 call)) / 63}, minus the 16 bytes of crypto each call does.
 *
 * <p>Each iteration ends by checking the last record against an independent one-shot seal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineCallBenchmark
{
    private static final int SEGMENT_LENGTH = 16;

    @Param({"1", "64"})
    public int calls;

    private final byte[] aad = {23, 3, 3, 0, 0};
    private final byte[] nonce = new byte[12];
    private byte[] key;
    private byte[] plain;
    private byte[] out;
    private AesGcmStream engine;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(calls);
        key = new byte[16];
        random.nextBytes(key);
        random.nextBytes(nonce);
        plain = new byte[calls * SEGMENT_LENGTH];
        random.nextBytes(plain);
        out = new byte[plain.length + AesGcmStream.TAG_LENGTH];
        engine = new AesGcmStream(key);
    }

    /** Start, {@code calls} updates of 16 bytes, tag. */
    @Benchmark
    public byte[] record()
    {
        engine.start(true, nonce, 0, aad, 0, aad.length);
        for (int p = 0; p < plain.length; p += SEGMENT_LENGTH)
        {
            engine.update(plain, p, SEGMENT_LENGTH, out, p);
        }
        engine.finishTag(out, plain.length);
        return out;
    }

    /** Checks the last record against SunJCE. */
    @TearDown(Level.Iteration)
    public void verify()
    {
        final byte[] expected = new byte[out.length];
        new JceAead(TlsCipher.AES_GCM_128, key).seal(nonce, 0, aad, 0, aad.length, plain, 0, plain.length, expected, 0);
        if (!Arrays.equals(expected, out))
        {
            throw new IllegalStateException("engine output differs from SunJCE's seal of the same record");
        }
    }

    /** Releases the engine's native state, if it has one. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.close();
    }
}
