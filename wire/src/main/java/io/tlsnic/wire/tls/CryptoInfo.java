package io.tlsnic.wire.tls;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import javax.security.auth.Destroyable;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The {@code crypto_info} that {@code setsockopt(SOL_TLS, TLS_TX | TLS_RX)} receives, byte for byte
 * (include/uapi/linux/tls.h, {@code struct tls12_crypto_info_aes_gcm_128}, {@code _aes_gcm_256},
 * {@code _chacha20_poly1305}; the same structs serve TLS 1.3).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   version (u16, little-end.)  |  cipher_type (u16, little-end.)|  0
 *  +-------------------------------+-------------------------------+
 *  |  iv: 8 bytes (AES-GCM) or 12 bytes (ChaCha20-Poly1305)     ...|  4
 *  +---------------------------------------------------------------+
 *  |  key: 16 bytes (AES-128-GCM) or 32 bytes                   ...|  4 + iv
 *  +---------------------------------------------------------------+
 *  |  salt: 4 bytes (AES-GCM), absent for ChaCha20-Poly1305        |  4 + iv + key
 *  +---------------------------------------------------------------+
 *  |  rec_seq: 8 bytes, big-endian record number                ...|  4 + iv + key + salt
 *  +---------------------------------------------------------------+
 *
 *   AES-128-GCM: 4 + 8 + 16 + 4 + 8 = 40 bytes
 *   AES-256-GCM: 4 + 8 + 32 + 4 + 8 = 56 bytes
 *   ChaCha20:    4 + 12 + 32 + 0 + 8 = 56 bytes
 * </pre>
 *
 * {@code version} and {@code cipher_type} are plain {@code __u16} in host byte order in the kernel struct. The
 * emulator fixes them as little-endian, the order of the x86-64 and arm64 hosts kTLS runs on, so that the bytes
 * are exactly what such a host passes to {@code setsockopt}. {@code rec_seq} is kept in network order by the
 * kernel (it is copied into the AAD as is), so it is big-endian here too; it is an unsigned 64-bit record number.
 * <p>
 * Validation follows {@code do_tls_setsockopt_conf} (net/tls/tls_main.c): a short header, a version other than
 * TLS 1.2/1.3, an unknown {@code cipher_type} or a length other than the cipher's struct size are all
 * {@link Errno#EINVAL}. AES-128-CCM (53) is recognised and refused with EINVAL and a message that says so,
 * because the record layer does not implement it.
 * <p>
 * An instance is an immutable value until {@link #destroy()} wipes its key, iv and salt; accessors then throw.
 * {@link #toString()} prints field lengths, never key material.
 */
public final class CryptoInfo implements Destroyable
{
    /** Offset of {@code version}. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of {@code cipher_type}. */
    public static final int CIPHER_TYPE_OFFSET = VERSION_OFFSET + 2;
    /** Length of {@code struct tls_crypto_info}, the header common to every cipher. */
    public static final int HEADER_LENGTH = CIPHER_TYPE_OFFSET + 2;
    /** Offset of {@code iv}, right after the header for every cipher. */
    public static final int IV_OFFSET = HEADER_LENGTH;

    private static final byte[] NO_SALT = new byte[0];

    private final TlsVersion version;
    private final TlsCipher cipher;
    private final byte[] iv;
    private final byte[] key;
    private final byte[] salt;
    private final long recSeq;
    private volatile boolean destroyed;

    private CryptoInfo(
        final TlsVersion version, final TlsCipher cipher, final byte[] iv, final byte[] key, final byte[] salt,
        final long recSeq)
    {
        this.version = version;
        this.cipher = cipher;
        this.iv = iv;
        this.key = key;
        this.salt = salt;
        this.recSeq = recSeq;
    }

    /**
     * Builds a crypto_info from its fields; the arrays are copied.
     *
     * @param version TLS version.
     * @param cipher  an implemented cipher.
     * @param iv      {@code cipher.ivLength()} bytes.
     * @param key     {@code cipher.keyLength()} bytes.
     * @param salt    {@code cipher.saltLength()} bytes (empty for ChaCha20-Poly1305).
     * @param recSeq  record number of the next record, unsigned 64-bit.
     * @return the crypto_info.
     * @throws TlsErrnoException EINVAL for an unimplemented cipher or a field of the wrong length.
     */
    public static CryptoInfo of(
        final TlsVersion version, final TlsCipher cipher, final byte[] iv, final byte[] key, final byte[] salt,
        final long recSeq)
    {
        Objects.requireNonNull(version, "version");
        requireImplemented(cipher);
        requireLength("iv", iv, cipher.ivLength(), cipher);
        requireLength("key", key, cipher.keyLength(), cipher);
        requireLength("salt", salt, cipher.saltLength(), cipher);
        return new CryptoInfo(version, cipher, iv.clone(), key.clone(), salt.clone(), recSeq);
    }

    /**
     * Keys, salt and iv drawn from a seeded generator, and a record number below 1000: reproducible keys for
     * scenarios and tests that need no handshake.
     *
     * @param version TLS version.
     * @param cipher cipher.
     * @param random the generator (advanced).
     * @return the crypto_info.
     */
    public static CryptoInfo random(final TlsVersion version, final TlsCipher cipher,
        final java.util.SplittableRandom random)
    {
        final byte[] key = new byte[cipher.keyLength()];
        final byte[] iv = new byte[cipher.ivLength()];
        final byte[] salt = new byte[cipher.saltLength()];
        random.nextBytes(key);
        random.nextBytes(iv);
        random.nextBytes(salt);
        return of(version, cipher, iv, key, salt, random.nextLong(1000));
    }

    /**
     * Builds the crypto_info a TLS library hands to the kernel from a traffic key and its write IV.
     * <ul>
     *   <li>TLS 1.3 AES-GCM: {@code salt = writeIv[0..4)}, {@code iv = writeIv[4..12)}; the kernel rebuilds the
     *       12-byte per-record nonce as {@code (salt || iv) XOR seq}.</li>
     *   <li>ChaCha20-Poly1305 (1.2 and 1.3): {@code iv = writeIv}, no salt.</li>
     *   <li>TLS 1.2 AES-GCM: the key block gives only the 4-byte implicit part, the salt. The {@code iv} field is the
     *       8-byte explicit nonce of record {@code recordNumber}, which the kernel sends and then increments per
     *       record. With a 4-byte {@code writeIv} the explicit nonce is chosen as the record number, big-endian
     *       (RFC 5288 section 3 allows it; NSS, Go, BoringSSL, and therefore kTLS users built on them, do so, and
     *       the captures under vectors/ show it). With a 12-byte {@code writeIv} the caller gives
     *       {@code salt || explicit nonce} and the last 8 bytes are taken as they are.</li>
     * </ul>
     *
     * @param version      TLS version.
     * @param cipher       an implemented cipher.
     * @param key          traffic key, {@code cipher.keyLength()} bytes.
     * @param writeIv      12 bytes; for TLS 1.2 AES-GCM also 4 bytes (salt only).
     * @param recordNumber record number of the next record, unsigned 64-bit; becomes {@code rec_seq}.
     * @return the crypto_info, holding copies of the inputs.
     * @throws TlsErrnoException EINVAL for an unimplemented cipher or an input of the wrong length.
     */
    public static CryptoInfo fromWriteIv(
        final TlsVersion version, final TlsCipher cipher, final byte[] key, final byte[] writeIv,
        final long recordNumber)
    {
        Objects.requireNonNull(version, "version");
        requireImplemented(cipher);
        requireLength("key", key, cipher.keyLength(), cipher);
        final int nonceLength = cipher.nonceLength();
        if (version == TlsVersion.TLS_1_2 && cipher.isAesGcm() && writeIv.length == cipher.saltLength())
        {
            final byte[] explicitNonce = new byte[cipher.ivLength()];
            writeLongBigEndian(explicitNonce, 0, recordNumber);
            return new CryptoInfo(version, cipher, explicitNonce, key.clone(), writeIv.clone(), recordNumber);
        }
        requireLength("write iv", writeIv, nonceLength, cipher);
        final int saltLength = cipher.saltLength();
        return new CryptoInfo(
            version,
            cipher,
            Arrays.copyOfRange(writeIv, saltLength, nonceLength),
            key.clone(),
            saltLength == 0 ? NO_SALT : Arrays.copyOfRange(writeIv, 0, saltLength),
            recordNumber);
    }

    /**
     * Parses a crypto_info exactly as {@code setsockopt} receives it.
     *
     * @param src    buffer.
     * @param offset where the struct starts.
     * @param length {@code optlen}.
     * @return the crypto_info, holding copies of the key material.
     * @throws TlsErrnoException EINVAL for a short header, bad version, unknown or unimplemented cipher, or a
     *                           length that is not the cipher's struct size.
     */
    public static CryptoInfo parse(final byte[] src, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, src.length);
        if (length < HEADER_LENGTH)
        {
            throw shortHeader(length);
        }
        final int versionCode = readU16LittleEndian(src, offset + VERSION_OFFSET);
        final TlsCipher cipher =
            validateHeader(versionCode, readU16LittleEndian(src, offset + CIPHER_TYPE_OFFSET), length);
        final TlsVersion version = TlsVersion.fromCode(versionCode);
        final int keyOffset = offset + keyOffset(cipher);
        final int saltOffset = offset + saltOffset(cipher);
        final int recSeqOffset = offset + recSeqOffset(cipher);
        return new CryptoInfo(
            version,
            cipher,
            Arrays.copyOfRange(src, offset + IV_OFFSET, keyOffset),
            Arrays.copyOfRange(src, keyOffset, saltOffset),
            cipher.saltLength() == 0 ? NO_SALT : Arrays.copyOfRange(src, saltOffset, recSeqOffset),
            readLongBigEndian(src, recSeqOffset));
    }

    /**
     * Parses a crypto_info held in Chronicle memory (e.g. the emulated socket's option buffer).
     *
     * @param store  memory.
     * @param offset where the struct starts.
     * @param length {@code optlen}.
     * @return the crypto_info, holding copies of the key material.
     * @throws TlsErrnoException as {@link #parse(byte[], int, int)}.
     */
    public static CryptoInfo parse(final BytesStore<?, ?> store, final long offset, final long length)
    {
        if (length < HEADER_LENGTH)
        {
            throw shortHeader(length);
        }
        final int versionCode = store.readUnsignedByte(offset + VERSION_OFFSET) |
            store.readUnsignedByte(offset + VERSION_OFFSET + 1) << 8;
        final int cipherId = store.readUnsignedByte(offset + CIPHER_TYPE_OFFSET) |
            store.readUnsignedByte(offset + CIPHER_TYPE_OFFSET + 1) << 8;
        // Validate before copying so that a huge optlen never sizes an allocation.
        final int structLength = encodedLength(validateHeader(versionCode, cipherId, length));
        final byte[] copy = new byte[structLength];
        try
        {
            final long copied = store.read(offset, copy, 0, structLength);
            if (copied != structLength)
            {
                throw new IndexOutOfBoundsException("crypto_info of " + structLength + " bytes at offset " + offset +
                    " runs past the end of the store (" + copied + " bytes readable)");
            }
            return parse(copy, 0, structLength);
        }
        finally
        {
            Arrays.fill(copy, (byte)0);
        }
    }

    /**
     * @param cipher an implemented cipher.
     * @return the size of its crypto_info struct: 40 for AES-128-GCM, 56 for AES-256-GCM and ChaCha20-Poly1305.
     */
    public static int encodedLength(final TlsCipher cipher)
    {
        return recSeqOffset(cipher) + TlsCipher.REC_SEQ_LENGTH;
    }

    /** @return the size of this crypto_info struct. */
    public int encodedLength()
    {
        return encodedLength(cipher);
    }

    /**
     * Writes the struct exactly as {@code setsockopt} receives it.
     *
     * @param dst    buffer.
     * @param offset where the struct starts.
     * @return bytes written, {@link #encodedLength()}.
     */
    public int write(final byte[] dst, final int offset)
    {
        requireNotDestroyed();
        final int length = encodedLength();
        Objects.checkFromIndexSize(offset, length, dst.length);
        writeU16LittleEndian(dst, offset + VERSION_OFFSET, version.code());
        writeU16LittleEndian(dst, offset + CIPHER_TYPE_OFFSET, cipher.id());
        System.arraycopy(iv, 0, dst, offset + IV_OFFSET, iv.length);
        System.arraycopy(key, 0, dst, offset + keyOffset(cipher), key.length);
        System.arraycopy(salt, 0, dst, offset + saltOffset(cipher), salt.length);
        writeLongBigEndian(dst, offset + recSeqOffset(cipher), recSeq);
        return length;
    }

    /**
     * Writes the struct into Chronicle memory.
     *
     * @param store  memory.
     * @param offset where the struct starts.
     * @return bytes written, {@link #encodedLength()}.
     */
    public int write(final BytesStore<?, ?> store, final long offset)
    {
        final byte[] bytes = toBytes();
        try
        {
            store.write(offset, bytes, 0, bytes.length);
            return bytes.length;
        }
        finally
        {
            Arrays.fill(bytes, (byte)0);
        }
    }

    /** @return a new array holding the struct; the caller should wipe it when done. */
    public byte[] toBytes()
    {
        final byte[] bytes = new byte[encodedLength()];
        write(bytes, 0);
        return bytes;
    }

    /** @return the TLS version. */
    public TlsVersion version()
    {
        return version;
    }

    /** @return the cipher. */
    public TlsCipher cipher()
    {
        return cipher;
    }

    /** @return the record number of the next record, unsigned 64-bit. */
    public long recSeq()
    {
        return recSeq;
    }

    /** @return a copy of the {@code iv} field. */
    public byte[] iv()
    {
        requireNotDestroyed();
        return iv.clone();
    }

    /** @return a copy of the key. */
    public byte[] key()
    {
        requireNotDestroyed();
        return key.clone();
    }

    /** @return a copy of the salt (empty for ChaCha20-Poly1305). */
    public byte[] salt()
    {
        requireNotDestroyed();
        return salt.clone();
    }

    /** Wipes key, iv and salt; every later access to them throws {@link IllegalStateException}. */
    @Override
    public void destroy()
    {
        destroyed = true;
        Arrays.fill(key, (byte)0);
        Arrays.fill(iv, (byte)0);
        Arrays.fill(salt, (byte)0);
    }

    @Override
    public boolean isDestroyed()
    {
        return destroyed;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof CryptoInfo))
        {
            return false;
        }
        final CryptoInfo that = (CryptoInfo)o;
        return version == that.version && cipher == that.cipher && recSeq == that.recSeq &&
            destroyed == that.destroyed &&
            MessageDigest.isEqual(iv, that.iv) && MessageDigest.isEqual(key, that.key) &&
            MessageDigest.isEqual(salt, that.salt);
    }

    @Override
    public int hashCode()
    {
        // Key material is left out on purpose: a hash code must not leak anything about a secret.
        return Objects.hash(version, cipher, recSeq);
    }

    /** @return version, cipher, field lengths and rec_seq; never key material. */
    @Override
    public String toString()
    {
        return "CryptoInfo{" + version + ", " + cipher +
            (destroyed ? ", destroyed" :
                ", iv=" + iv.length + " bytes, key=" + key.length + " bytes, salt=" + salt.length + " bytes") +
            ", recSeq=" + Long.toUnsignedString(recSeq) + '}';
    }

    private static TlsCipher validateHeader(final int versionCode, final int cipherId, final long length)
    {
        if (TlsVersion.fromCode(versionCode) == null)
        {
            throw new TlsErrnoException(Errno.EINVAL, String.format(
                "crypto_info version 0x%04x is neither TLS 1.2 (0x0303) nor TLS 1.3 (0x0304)", versionCode));
        }
        final TlsCipher cipher = TlsCipher.fromId(cipherId);
        if (cipher == null)
        {
            throw new TlsErrnoException(Errno.EINVAL, "crypto_info cipher_type " + cipherId + " is unknown");
        }
        requireImplemented(cipher);
        final int expected = encodedLength(cipher);
        if (length != expected)
        {
            throw new TlsErrnoException(Errno.EINVAL,
                "crypto_info length " + length + " does not match " + expected + " for " + cipher.label());
        }
        return cipher;
    }

    private static void requireImplemented(final TlsCipher cipher)
    {
        Objects.requireNonNull(cipher, "cipher");
        if (!cipher.implemented())
        {
            throw new TlsErrnoException(Errno.EINVAL, "crypto_info cipher_type " + cipher.id() + " (" +
                cipher.label() + ") is recognised but not implemented by the tlsnic record layer");
        }
    }

    private static void requireLength(final String field, final byte[] value, final int expected, final TlsCipher c)
    {
        if (value.length != expected)
        {
            throw new TlsErrnoException(Errno.EINVAL,
                field + " length " + value.length + " does not match " + expected + " for " + c.label());
        }
    }

    private static TlsErrnoException shortHeader(final long length)
    {
        return new TlsErrnoException(Errno.EINVAL,
            "crypto_info length " + length + " is shorter than its " + HEADER_LENGTH + "-byte header");
    }

    private void requireNotDestroyed()
    {
        if (destroyed)
        {
            throw new IllegalStateException("crypto_info key material was destroyed");
        }
    }

    private static int keyOffset(final TlsCipher cipher)
    {
        return IV_OFFSET + cipher.ivLength();
    }

    private static int saltOffset(final TlsCipher cipher)
    {
        return keyOffset(cipher) + cipher.keyLength();
    }

    private static int recSeqOffset(final TlsCipher cipher)
    {
        return saltOffset(cipher) + cipher.saltLength();
    }

    private static int readU16LittleEndian(final byte[] src, final int offset)
    {
        return (src[offset] & 0xFF) | (src[offset + 1] & 0xFF) << 8;
    }

    private static void writeU16LittleEndian(final byte[] dst, final int offset, final int value)
    {
        dst[offset] = (byte)value;
        dst[offset + 1] = (byte)(value >>> 8);
    }

    private static long readLongBigEndian(final byte[] src, final int offset)
    {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            value = value << 8 | (src[offset + i] & 0xFF);
        }
        return value;
    }

    private static void writeLongBigEndian(final byte[] dst, final int offset, final long value)
    {
        for (int i = 0; i < Long.BYTES; i++)
        {
            dst[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }
}
