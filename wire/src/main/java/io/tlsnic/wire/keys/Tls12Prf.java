package io.tlsnic.wire.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.security.auth.Destroyable;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * The TLS 1.2 PRF (RFC 5246 section 5, P_SHA256 or P_SHA384 as the suite says), the master secret (section 8.1),
 * the extended master secret (RFC 7627 section 4) and the key block of an AEAD suite (section 6.3).
 *
 * <pre>
 *   PRF(secret, label, seed) = P_hash(secret, label + seed)
 *   P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...,  A(0) = seed,
 *                          A(i) = HMAC(secret, A(i-1))
 *   master_secret = PRF(pre_master_secret, "master secret", client_random + server_random)[0..47]
 *   extended      = PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
 *   key_block     = PRF(master_secret, "key expansion", server_random + client_random)
 *                 = client_write_key | server_write_key | client_write_IV | server_write_IV  (AEAD: no MAC keys)
 * </pre>
 *
 * The write IV is the 4-byte implicit nonce (the salt) for AES-GCM (RFC 5288) and the 12-byte nonce base for
 * ChaCha20-Poly1305 (RFC 7905). Methods take the randoms in the same (client, server) order and put them in the
 * order each seed needs.
 */
public final class Tls12Prf
{
    /** Length of the master secret. */
    public static final int MASTER_SECRET_LENGTH = 48;
    /** Length of ClientHello.random and ServerHello.random. */
    public static final int RANDOM_LENGTH = 32;

    private Tls12Prf()
    {
    }

    /**
     * PRF(secret, label, seed).
     *
     * @param hash   PRF hash of the suite.
     * @param secret secret.
     * @param label  ASCII label.
     * @param seed   seed.
     * @param length output length.
     * @return {@code length} bytes.
     */
    public static byte[] prf(
        final HashAlgorithm hash, final byte[] secret, final String label, final byte[] seed, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("PRF length " + length + " is negative");
        }
        final byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        final Mac mac = hash.hmac(secret);
        final byte[] out = new byte[length];
        byte[] a = concat(labelBytes, seed);
        for (int offset = 0; offset < length; )
        {
            final byte[] next = mac.doFinal(a);
            Arrays.fill(a, (byte)0);
            a = next;
            mac.update(a);
            mac.update(labelBytes);
            mac.update(seed);
            final byte[] block = mac.doFinal();
            final int n = Math.min(block.length, length - offset);
            System.arraycopy(block, 0, out, offset, n);
            Arrays.fill(block, (byte)0);
            offset += n;
        }
        Arrays.fill(a, (byte)0);
        return out;
    }

    /**
     * @param hash            PRF hash of the suite.
     * @param preMasterSecret pre-master secret.
     * @param clientRandom    ClientHello.random, 32 bytes.
     * @param serverRandom    ServerHello.random, 32 bytes.
     * @return the 48-byte master secret.
     */
    public static byte[] masterSecret(
        final HashAlgorithm hash, final byte[] preMasterSecret, final byte[] clientRandom, final byte[] serverRandom)
    {
        requireRandom("client_random", clientRandom);
        requireRandom("server_random", serverRandom);
        return prf(hash, preMasterSecret, "master secret", concat(clientRandom, serverRandom), MASTER_SECRET_LENGTH);
    }

    /**
     * @param hash            PRF hash of the suite.
     * @param preMasterSecret pre-master secret.
     * @param sessionHash     hash of the handshake up to and including ClientKeyExchange (RFC 7627 section 3).
     * @return the 48-byte extended master secret.
     */
    public static byte[] extendedMasterSecret(
        final HashAlgorithm hash, final byte[] preMasterSecret, final byte[] sessionHash)
    {
        return prf(hash, preMasterSecret, "extended master secret", sessionHash, MASTER_SECRET_LENGTH);
    }

    /**
     * Derives and splits the key block of an AEAD suite.
     *
     * @param hash         PRF hash of the suite.
     * @param cipher       an implemented record cipher.
     * @param masterSecret the 48-byte master secret.
     * @param clientRandom ClientHello.random, 32 bytes.
     * @param serverRandom ServerHello.random, 32 bytes.
     * @return client and server write keys and IVs.
     */
    public static KeyBlock keyBlock(
        final HashAlgorithm hash, final TlsCipher cipher, final byte[] masterSecret, final byte[] clientRandom,
        final byte[] serverRandom)
    {
        if (!cipher.implemented())
        {
            throw new IllegalArgumentException(cipher.label() + " is not implemented by the record layer");
        }
        requireRandom("client_random", clientRandom);
        requireRandom("server_random", serverRandom);
        final int keyLength = cipher.keyLength();
        final int ivLength = cipher.isAesGcm() ? cipher.saltLength() : cipher.nonceLength();
        final byte[] block = prf(
            hash, masterSecret, "key expansion", concat(serverRandom, clientRandom), 2 * (keyLength + ivLength));
        final byte[][] parts = new byte[4][];
        try
        {
            parts[0] = Arrays.copyOfRange(block, 0, keyLength);
            parts[1] = Arrays.copyOfRange(block, keyLength, 2 * keyLength);
            parts[2] = Arrays.copyOfRange(block, 2 * keyLength, 2 * keyLength + ivLength);
            parts[3] = Arrays.copyOfRange(block, 2 * keyLength + ivLength, block.length);
            return new KeyBlock(new TrafficKeys(parts[0], parts[2]), new TrafficKeys(parts[1], parts[3]));
        }
        finally
        {
            Arrays.fill(block, (byte)0);
            for (final byte[] part : parts)
            {
                if (part != null)
                {
                    Arrays.fill(part, (byte)0);
                }
            }
        }
    }

    private static void requireRandom(final String name, final byte[] random)
    {
        if (random.length != RANDOM_LENGTH)
        {
            throw new IllegalArgumentException(
                name + " must be " + RANDOM_LENGTH + " bytes, got " + random.length);
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The two directions of a TLS 1.2 key block. */
    public static final class KeyBlock implements Destroyable
    {
        private final TrafficKeys client;
        private final TrafficKeys server;

        private KeyBlock(final TrafficKeys client, final TrafficKeys server)
        {
            this.client = client;
            this.server = server;
        }

        /** @return client_write_key and client_write_IV. */
        public TrafficKeys client()
        {
            return client;
        }

        /** @return server_write_key and server_write_IV. */
        public TrafficKeys server()
        {
            return server;
        }

        /** Wipes both directions. */
        @Override
        public void destroy()
        {
            client.destroy();
            server.destroy();
        }

        @Override
        public boolean isDestroyed()
        {
            return client.isDestroyed() && server.isDestroyed();
        }

        @Override
        public String toString()
        {
            return "KeyBlock{client=" + client + ", server=" + server + '}';
        }
    }
}
