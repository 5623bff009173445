package io.tlsnic.harness.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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

/**
 * The device's incremental AES-GCM engine against raw one-shot SunJCE {@code AES/GCM/NoPadding}, on equal inputs:
 * one TLS 1.3-shaped record per operation (fresh nonce, 5-byte AAD, 16-byte tag), heap arrays for both. The
 * engine is fed the record in {@code segmentLength}-byte pieces as a NIC sees TCP segments (1448 = an Ethernet
 * MSS with timestamps); {@code segmentLength = 0} feeds it the whole record in one call (a TSO descriptor).
 *
 * <p>Each iteration ends by checking the last record of every path against an independent one-shot encryption,
 * so a fast wrong path fails the run instead of winning it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark
{
    @Param({"16384"})
    public int recordLength;

    @Param({"1448"})
    public int segmentLength;

    @Param({"128"})
    public int keyBits;

    private GcmRecordInputs inputs;
    private SecretKeySpec keySpec;
    private Cipher jce;
    private AesGcmStream engine;
    private byte[] aad;
    private byte[] plain;
    private byte[] sealed;
    private byte[] out;
    private byte[] sealedNonce;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        inputs = new GcmRecordInputs(recordLength, keyBits);
        keySpec = new SecretKeySpec(inputs.key, "AES");
        jce = Cipher.getInstance("AES/GCM/NoPadding");
        engine = new AesGcmStream(inputs.key);
        aad = inputs.aad;
        plain = inputs.plain;
        sealed = inputs.sealed;
        sealedNonce = inputs.sealedNonce;
        out = new byte[recordLength + 16];
    }

    private byte[] nextNonce()
    {
        return inputs.nextNonce();
    }

    /** Raw SunJCE, one call per record: the baseline. */
    @Benchmark
    public byte[] oneShotEncrypt() throws Exception
    {
        jce.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(128, nextNonce()));
        jce.updateAAD(aad, 0, 5);
        jce.doFinal(plain, 0, recordLength, out, 0);
        return out;
    }

    /** The device engine fed segment by segment. */
    @Benchmark
    public byte[] engineEncrypt()
    {
        engine.start(true, nextNonce(), 0, aad, 0, 5);
        if (segmentLength == 0)
        {
            engine.update(plain, 0, recordLength, out, 0);
        }
        else
        {
            for (int p = 0; p < recordLength; p += segmentLength)
            {
                engine.update(plain, p, Math.min(segmentLength, recordLength - p), out, p);
            }
        }
        engine.finishTag(out, recordLength);
        return out;
    }

    /** Raw SunJCE decryption of one record. */
    @Benchmark
    public byte[] oneShotDecrypt() throws Exception
    {
        jce.init(Cipher.DECRYPT_MODE, keySpec, new GCMParameterSpec(128, sealedNonce));
        jce.updateAAD(aad, 0, 5);
        jce.doFinal(sealed, 0, recordLength + 16, out, 0);
        return out;
    }

    /** The device engine decrypting segment by segment, plaintext released per segment, tag checked at the end. */
    @Benchmark
    public boolean engineDecrypt()
    {
        engine.start(false, sealedNonce, 0, aad, 0, 5);
        if (segmentLength == 0)
        {
            engine.update(sealed, 0, recordLength, out, 0);
        }
        else
        {
            for (int p = 0; p < recordLength; p += segmentLength)
            {
                engine.update(sealed, p, Math.min(segmentLength, recordLength - p), out, p);
            }
        }
        return engine.verifyTag(sealed, recordLength);
    }

    /** Releases the engine's native state, if it has one. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.close();
    }

    /** Checks the last outputs: encrypt paths against an independent seal, decrypt paths against the plaintext. */
    @TearDown(Level.Iteration)
    public void verify() throws Exception
    {
        // Encrypt paths leave out = the seal under the last nonce; decrypt paths leave out = plaintext.
        final boolean encryptedOk = inputs.sealedAny() && Arrays.equals(inputs.expectedLastSeal(), out);
        final boolean decryptedOk = Arrays.equals(plain, 0, recordLength, out, 0, recordLength);
        if (!encryptedOk && !decryptedOk)
        {
            throw new IllegalStateException("benchmark output is wrong: neither the expected ciphertext+tag of the "
                + "last record nor its plaintext");
        }
        engine.start(false, sealedNonce, 0, aad, 0, 5);
        engine.update(sealed, 0, recordLength, new byte[recordLength], 0);
        if (!engine.verifyTag(sealed, recordLength))
        {
            throw new IllegalStateException("engine refused an authentic record");
        }
    }
}
