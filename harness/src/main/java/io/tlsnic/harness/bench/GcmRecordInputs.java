package io.tlsnic.harness.bench;

import java.util.SplittableRandom;

import io.tlsnic.wire.crypto.JceAead;
import io.tlsnic.wire.tls.TlsCipher;

/**
 * The equal inputs of the AES-GCM benchmarks ({@link EngineBenchmark}, {@link BcNativeGcmBenchmark}) for one record
 * length and key size: one TLS 1.3-shaped record (5-byte AAD, 16-byte tag), a key and plaintext seeded from the two
 * parameters, a fixed record sealed by SunJCE for the decrypt paths, and a fresh nonce per sealed record (a
 * counter: Bouncy Castle refuses to seal twice with one nonce).
 */
final class GcmRecordInputs
{
    final int recordLength;
    final byte[] key;
    final byte[] plain;
    /** The record header as AAD: application data, TLS 1.2 legacy version, sealed length. */
    final byte[] aad = {23, 3, 3, 0, 0};
    /** Nonce of {@link #sealed}. */
    final byte[] sealedNonce = new byte[12];
    /** {@link #plain} sealed by SunJCE under {@link #sealedNonce}: ciphertext and tag. */
    final byte[] sealed;
    private final TlsCipher cipher;
    private final byte[] nonce = new byte[12];
    private long counter;

    /**
     * @param recordLength plaintext bytes per record.
     * @param keyBits 128 or 256.
     */
    GcmRecordInputs(final int recordLength, final int keyBits)
    {
        this.recordLength = recordLength;
        this.cipher = keyBits == 128 ? TlsCipher.AES_GCM_128 : TlsCipher.AES_GCM_256;
        final SplittableRandom random = new SplittableRandom(keyBits * 31L + recordLength);
        key = new byte[keyBits / 8];
        random.nextBytes(key);
        plain = new byte[recordLength];
        random.nextBytes(plain);
        aad[3] = (byte)((recordLength + 16) >>> 8);
        aad[4] = (byte)(recordLength + 16);
        random.nextBytes(sealedNonce);
        sealed = sealWithSunJce(sealedNonce);
    }

    /** @return the next nonce (the same array, rewritten). */
    byte[] nextNonce()
    {
        counter++;
        for (int i = 0; i < 8; i++)
        {
            nonce[11 - i] = (byte)(counter >>> (8 * i));
        }
        return nonce;
    }

    /** @return whether {@link #nextNonce()} was called: a record was sealed. */
    boolean sealedAny()
    {
        return counter > 0;
    }

    /** @return the plaintext sealed by SunJCE under the last {@link #nextNonce()}: what a sealing path must give. */
    byte[] expectedLastSeal()
    {
        return sealWithSunJce(nonce.clone());
    }

    private byte[] sealWithSunJce(final byte[] recordNonce)
    {
        final byte[] out = new byte[recordLength + 16];
        new JceAead(cipher, key).seal(recordNonce, 0, aad, 0, 5, plain, 0, recordLength, out, 0);
        return out;
    }
}
