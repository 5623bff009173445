package io.tlsnic.harness.handshake;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

import io.tlsnic.wire.keys.KeyLogWriter;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * What one side of a handshake offers and how it runs.
 *
 * @param version the only protocol version offered.
 * @param ciphers the record ciphers offered, in preference order (each maps to one suite of the version).
 * @param readPolicy how much the library reads from the socket.
 * @param keyLog where to append the NSS key log lines of this connection, or null for no key log at all.
 * @param random the library's randomness (key shares, randoms); seeded in tests for reproducible runs.
 */
public record HandshakeOptions(TlsVersion version, List<TlsCipher> ciphers, ReadPolicy readPolicy, KeyLogWriter keyLog,
    SecureRandom random)
{
    /** Checks the values. */
    public HandshakeOptions
    {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(readPolicy, "readPolicy");
        Objects.requireNonNull(random, "random");
        ciphers = List.copyOf(ciphers);
        if (ciphers.isEmpty())
        {
            throw new IllegalArgumentException("at least one cipher must be offered");
        }
        for (final TlsCipher cipher : ciphers)
        {
            BcSuites.suite(version, cipher);
        }
    }

    /**
     * @param version protocol version.
     * @param cipher the one cipher offered.
     * @param seed seed of the library's randomness.
     * @return options with one record at a time and no key log.
     */
    public static HandshakeOptions of(final TlsVersion version, final TlsCipher cipher, final long seed)
    {
        return new HandshakeOptions(version, List.of(cipher), ReadPolicy.RECORD_AT_A_TIME, null, seededRandom(seed));
    }

    /** @return these options with a key log. */
    public HandshakeOptions withKeyLog(final KeyLogWriter writer)
    {
        return new HandshakeOptions(version, ciphers, readPolicy, Objects.requireNonNull(writer, "writer"), random);
    }

    /** @return these options with another read policy. */
    public HandshakeOptions withReadPolicy(final ReadPolicy policy)
    {
        return new HandshakeOptions(version, ciphers, policy, keyLog, random);
    }

    /**
     * @param seed seed.
     * @return a SecureRandom whose output is fixed by the seed (SHA1PRNG seeded before first use).
     */
    public static SecureRandom seededRandom(final long seed)
    {
        try
        {
            final SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("the JDK has no SHA1PRNG", e);
        }
    }
}
