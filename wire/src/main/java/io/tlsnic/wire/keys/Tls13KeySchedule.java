package io.tlsnic.wire.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * The TLS 1.3 key schedule, RFC 8446 section 7: HKDF-Expand-Label, Derive-Secret, the early / handshake / master
 * secret chain, traffic keys from a traffic secret (section 7.3) and the KeyUpdate successor of a traffic secret
 * (section 7.2). Derive-Secret takes the transcript hash rather than the messages, so that a caller that keeps a
 * running hash (or reads it from a trace) need not keep the messages; {@link HashAlgorithm#digest} makes one.
 *
 * <pre>
 *   early     = HKDF-Extract(0, PSK or 0)
 *   handshake = HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE)
 *   master    = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0)
 *   [sender]_write_key = HKDF-Expand-Label(secret, "key", "", key_length)
 *   [sender]_write_iv  = HKDF-Expand-Label(secret, "iv", "", 12)
 *   application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)
 * </pre>
 */
public final class Tls13KeySchedule
{
    /** Prefix of every HkdfLabel.label. */
    public static final String LABEL_PREFIX = "tls13 ";
    /** Length of the per-record nonce base ([sender]_write_iv). */
    public static final int IV_LENGTH = 12;

    /** Derive-Secret label of the salt for the next extract step. */
    public static final String DERIVED = "derived";
    /** Derive-Secret label of client_early_traffic_secret (transcript: ClientHello). */
    public static final String CLIENT_EARLY_TRAFFIC = "c e traffic";
    /** Derive-Secret label of early_exporter_master_secret (transcript: ClientHello). */
    public static final String EARLY_EXPORTER_MASTER = "e exp master";
    /** Derive-Secret label of client_handshake_traffic_secret (transcript: ClientHello..ServerHello). */
    public static final String CLIENT_HANDSHAKE_TRAFFIC = "c hs traffic";
    /** Derive-Secret label of server_handshake_traffic_secret (transcript: ClientHello..ServerHello). */
    public static final String SERVER_HANDSHAKE_TRAFFIC = "s hs traffic";
    /** Derive-Secret label of client_application_traffic_secret_0 (transcript: ClientHello..server Finished). */
    public static final String CLIENT_APPLICATION_TRAFFIC = "c ap traffic";
    /** Derive-Secret label of server_application_traffic_secret_0 (transcript: ClientHello..server Finished). */
    public static final String SERVER_APPLICATION_TRAFFIC = "s ap traffic";
    /** Derive-Secret label of exporter_master_secret (transcript: ClientHello..server Finished). */
    public static final String EXPORTER_MASTER = "exp master";
    /** Derive-Secret label of resumption_master_secret (transcript: ClientHello..client Finished). */
    public static final String RESUMPTION_MASTER = "res master";
    /** HKDF-Expand-Label label of the next application traffic secret (KeyUpdate). */
    public static final String TRAFFIC_UPDATE = "traffic upd";

    private static final byte[] EMPTY = new byte[0];

    private Tls13KeySchedule()
    {
    }

    /**
     * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length) with
     * {@code HkdfLabel = uint16 length || opaque label<7..255> = "tls13 " + Label || opaque context<0..255>}.
     *
     * @param hash    suite hash.
     * @param secret  secret.
     * @param label   label without the "tls13 " prefix.
     * @param context context, may be empty.
     * @param length  output length.
     * @return the expanded bytes.
     */
    public static byte[] hkdfExpandLabel(
        final HashAlgorithm hash, final byte[] secret, final String label, final byte[] context, final int length)
    {
        final byte[] fullLabel = (LABEL_PREFIX + label).getBytes(StandardCharsets.US_ASCII);
        if (fullLabel.length > 255 || context.length > 255 || length < 0 || length > 0xFFFF)
        {
            throw new IllegalArgumentException("HkdfLabel out of range: label " + fullLabel.length +
                " bytes (max 255), context " + context.length + " bytes (max 255), length " + length +
                " (max 65535)");
        }
        final byte[] info = new byte[2 + 1 + fullLabel.length + 1 + context.length];
        info[0] = (byte)(length >>> 8);
        info[1] = (byte)length;
        info[2] = (byte)fullLabel.length;
        System.arraycopy(fullLabel, 0, info, 3, fullLabel.length);
        info[3 + fullLabel.length] = (byte)context.length;
        System.arraycopy(context, 0, info, 4 + fullLabel.length, context.length);
        return Hkdf.expand(hash, secret, info, length);
    }

    /**
     * Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages),
     * Hash.length).
     *
     * @param hash           suite hash.
     * @param secret         secret.
     * @param label          label without the "tls13 " prefix, e.g. {@link #CLIENT_HANDSHAKE_TRAFFIC}.
     * @param transcriptHash Transcript-Hash(Messages), {@code hash.length()} bytes.
     * @return the derived secret, {@code hash.length()} bytes.
     */
    public static byte[] deriveSecret(
        final HashAlgorithm hash, final byte[] secret, final String label, final byte[] transcriptHash)
    {
        return hkdfExpandLabel(hash, secret, label, transcriptHash, hash.length());
    }

    /**
     * @param hash suite hash.
     * @param psk  pre-shared key, or {@code null} for a full handshake (Hash.length zeros).
     * @return the early secret.
     */
    public static byte[] earlySecret(final HashAlgorithm hash, final byte[] psk)
    {
        return Hkdf.extract(hash, null, psk == null ? new byte[hash.length()] : psk);
    }

    /**
     * @param hash         suite hash.
     * @param earlySecret  the early secret.
     * @param sharedSecret the (EC)DHE shared secret.
     * @return the handshake secret.
     */
    public static byte[] handshakeSecret(final HashAlgorithm hash, final byte[] earlySecret, final byte[] sharedSecret)
    {
        return extractAfterDerived(hash, earlySecret, sharedSecret);
    }

    /**
     * @param hash            suite hash.
     * @param handshakeSecret the handshake secret.
     * @return the master secret.
     */
    public static byte[] masterSecret(final HashAlgorithm hash, final byte[] handshakeSecret)
    {
        return extractAfterDerived(hash, handshakeSecret, new byte[hash.length()]);
    }

    /**
     * The record key and write IV of one direction, RFC 8446 section 7.3.
     *
     * @param cipher        record cipher; its suite hash is {@link HashAlgorithm#forCipher}.
     * @param trafficSecret a handshake, application or early traffic secret.
     * @return key ({@code cipher.keyLength()} bytes) and 12-byte IV.
     */
    public static TrafficKeys trafficKeys(final TlsCipher cipher, final byte[] trafficSecret)
    {
        final HashAlgorithm hash = HashAlgorithm.forCipher(cipher);
        final byte[] key = hkdfExpandLabel(hash, trafficSecret, "key", EMPTY, cipher.keyLength());
        final byte[] iv = hkdfExpandLabel(hash, trafficSecret, "iv", EMPTY, IV_LENGTH);
        try
        {
            return new TrafficKeys(key, iv);
        }
        finally
        {
            Arrays.fill(key, (byte)0);
            Arrays.fill(iv, (byte)0);
        }
    }

    /**
     * The traffic secret after a KeyUpdate, RFC 8446 section 7.2.
     *
     * @param hash          suite hash.
     * @param trafficSecret application_traffic_secret_N.
     * @return application_traffic_secret_N+1.
     */
    public static byte[] nextTrafficSecret(final HashAlgorithm hash, final byte[] trafficSecret)
    {
        return hkdfExpandLabel(hash, trafficSecret, TRAFFIC_UPDATE, EMPTY, hash.length());
    }

    private static byte[] extractAfterDerived(final HashAlgorithm hash, final byte[] previous, final byte[] ikm)
    {
        final byte[] salt = deriveSecret(hash, previous, DERIVED, hash.digest());
        try
        {
            return Hkdf.extract(hash, salt, ikm);
        }
        finally
        {
            Arrays.fill(salt, (byte)0);
        }
    }
}
