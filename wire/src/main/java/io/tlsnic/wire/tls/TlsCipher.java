package io.tlsnic.wire.tls;

/**
 * The record ciphers kTLS knows, with their {@code crypto_info.cipher_type} ids and their sizes
 * (include/uapi/linux/tls.h). AES-CCM is listed so that its id is recognised and refused clearly; the record
 * layer implements the three AEADs TLS 1.2 and 1.3 use in practice.
 *
 * <pre>
 *   cipher               id  iv  key  salt  rec_seq  tag   crypto_info bytes
 *   AES_GCM_128          51   8   16     4        8   16   4 + 36 = 40
 *   AES_GCM_256          52   8   32     4        8   16   4 + 52 = 56
 *   AES_CCM_128          53   8   16     4        8   16   (not implemented)
 *   CHACHA20_POLY1305    54  12   32     0        8   16   4 + 52 = 56
 * </pre>
 */
public enum TlsCipher
{
    AES_GCM_128(51, "AES-128-GCM", 8, 16, 4, true),
    AES_GCM_256(52, "AES-256-GCM", 8, 32, 4, true),
    AES_CCM_128(53, "AES-128-CCM", 8, 16, 4, false),
    CHACHA20_POLY1305(54, "ChaCha20-Poly1305", 12, 32, 0, true);

    /** Every AEAD here has a 16-byte tag. */
    public static final int TAG_LENGTH = 16;
    /** {@code rec_seq} is 8 bytes for every cipher. */
    public static final int REC_SEQ_LENGTH = 8;

    private final int id;
    private final String label;
    private final int ivLength;
    private final int keyLength;
    private final int saltLength;
    private final boolean implemented;

    TlsCipher(
        final int id, final String label, final int ivLength, final int keyLength, final int saltLength,
        final boolean implemented)
    {
        this.id = id;
        this.label = label;
        this.ivLength = ivLength;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.implemented = implemented;
    }

    /** @return the {@code cipher_type} id of tls.h. */
    public int id()
    {
        return id;
    }

    /** @return a human label such as "AES-128-GCM". */
    public String label()
    {
        return label;
    }

    /** @return length of the {@code iv} field of crypto_info (the TLS 1.2 explicit nonce start for AES-GCM). */
    public int ivLength()
    {
        return ivLength;
    }

    /** @return key length in bytes. */
    public int keyLength()
    {
        return keyLength;
    }

    /** @return length of the {@code salt} field of crypto_info (the implicit nonce part), 0 for ChaCha20. */
    public int saltLength()
    {
        return saltLength;
    }

    /** @return the full 12-byte AEAD nonce base: salt + iv. */
    public int nonceLength()
    {
        return 12;
    }

    /** @return whether the TLS 1.2 record carries an explicit nonce (8 bytes for AES-GCM, none for ChaCha20). */
    public int explicitNonceLength(final TlsVersion version)
    {
        return version == TlsVersion.TLS_1_2 && this != CHACHA20_POLY1305 ? 8 : 0;
    }

    /** @return whether the record layer implements this cipher. */
    public boolean implemented()
    {
        return implemented;
    }

    /** @return whether this is one of the AES-GCM ciphers. */
    public boolean isAesGcm()
    {
        return this == AES_GCM_128 || this == AES_GCM_256;
    }

    /**
     * @param id {@code cipher_type} id.
     * @return the cipher, or {@code null} when the id is unknown.
     */
    public static TlsCipher fromId(final int id)
    {
        for (final TlsCipher c : values())
        {
            if (c.id == id)
            {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString()
    {
        return label;
    }
}
