package io.tlsnic.harness.bench;

import java.util.Arrays;
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

/**
 * Bouncy Castle LTS's native AES-GCM ({@link BcLtsGcm}), one call per record, on the inputs of
 * {@link EngineBenchmark} ({@link GcmRecordInputs}): a TLS 1.3-shaped record (fresh nonce, 5-byte AAD, 16-byte tag), heap arrays. Only run
 * where {@link BcLtsGcm#load()} finds the native library ({@code tlsnic bench} checks first). Each iteration ends
 * by checking the last sealed record against SunJCE's and the last opened one against the plaintext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BcNativeGcmBenchmark
{
    @Param({"16384"})
    public int recordLength;

    @Param({"128"})
    public int keyBits;

    private GcmRecordInputs inputs;
    private BcLtsGcm gcm;
    private byte[] aad;
    private byte[] plain;
    private byte[] sealed;
    private byte[] sealedNonce;
    private byte[] sealOut;
    private byte[] openOut;
    private boolean opened;

    @Setup(Level.Trial)
    public void setUp()
    {
        final BcLtsGcm.Loaded loaded = BcLtsGcm.load();
        if (loaded.gcm() == null)
        {
            throw new IllegalStateException("Bouncy Castle LTS native AES-GCM: " + loaded.description());
        }
        inputs = new GcmRecordInputs(recordLength, keyBits);
        gcm = loaded.gcm().create(inputs.key);
        aad = inputs.aad;
        plain = inputs.plain;
        sealed = inputs.sealed;
        sealedNonce = inputs.sealedNonce;
        sealOut = new byte[recordLength + 16];
        openOut = new byte[recordLength];
    }

    /** Bouncy Castle native, one record sealed per call. */
    @Benchmark
    public byte[] bcEncrypt()
    {
        gcm.process(true, inputs.nextNonce(), aad, plain, 0, recordLength, sealOut, 0);
        return sealOut;
    }

    /** Bouncy Castle native, one record opened (tag checked) per call. */
    @Benchmark
    public byte[] bcDecrypt()
    {
        gcm.process(false, sealedNonce, aad, sealed, 0, recordLength + 16, openOut, 0);
        opened = true;
        return openOut;
    }

    /** The last sealed record is SunJCE's for its nonce; the last opened one is the plaintext. */
    @TearDown(Level.Iteration)
    public void verify()
    {
        if (inputs.sealedAny() && !Arrays.equals(inputs.expectedLastSeal(), sealOut))
        {
            throw new IllegalStateException("Bouncy Castle's sealed record differs from SunJCE's");
        }
        if (opened && !Arrays.equals(openOut, plain))
        {
            throw new IllegalStateException("Bouncy Castle's opened record differs from the plaintext");
        }
    }
}
