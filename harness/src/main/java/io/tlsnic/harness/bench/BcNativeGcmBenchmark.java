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

import io.tlsnic.wire.crypto.JceAead;
import io.tlsnic.wire.tls.TlsCipher;

/**
 * Bouncy Castle LTS's native AES-GCM ({@link BcLtsGcm}), one call per record, on the inputs of
 * {@link EngineBenchmark}: a TLS 1.3-shaped record (fresh nonce, 5-byte AAD, 16-byte tag), heap arrays. Only run
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

    private byte[] key;
    private BcLtsGcm gcm;
    private final byte[] aad = {23, 3, 3, 0, 0};
    private final byte[] nonce = new byte[12];
    private long counter;
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
        // The inputs of EngineBenchmark for the same parameters.
        final SplittableRandom random = new SplittableRandom(keyBits * 31L + recordLength);
        key = new byte[keyBits / 8];
        random.nextBytes(key);
        gcm = loaded.gcm().create(key);
        plain = new byte[recordLength];
        random.nextBytes(plain);
        aad[3] = (byte)((recordLength + 16) >>> 8);
        aad[4] = (byte)(recordLength + 16);
        sealedNonce = new byte[12];
        random.nextBytes(sealedNonce);
        sealed = new byte[recordLength + 16];
        new JceAead(cipher(), key).seal(sealedNonce, 0, aad, 0, 5, plain, 0, recordLength, sealed, 0);
        sealOut = new byte[recordLength + 16];
        openOut = new byte[recordLength];
    }

    private TlsCipher cipher()
    {
        return keyBits == 128 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256;
    }

    /** Bouncy Castle native, one record sealed per call. */
    @Benchmark
    public byte[] bcEncrypt()
    {
        counter++;
        for (int i = 0; i < 8; i++)
        {
            nonce[11 - i] = (byte)(counter >>> (8 * i));
        }
        gcm.process(true, nonce, aad, plain, 0, recordLength, sealOut, 0);
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
        if (counter > 0)
        {
            final byte[] expected = new byte[recordLength + 16];
            new JceAead(cipher(), key).seal(nonce.clone(), 0, aad, 0, 5, plain, 0, recordLength, expected, 0);
            if (!Arrays.equals(expected, sealOut))
            {
                throw new IllegalStateException("Bouncy Castle's sealed record differs from SunJCE's");
            }
        }
        if (opened && !Arrays.equals(openOut, plain))
        {
            throw new IllegalStateException("Bouncy Castle's opened record differs from the plaintext");
        }
    }
}
