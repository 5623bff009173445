package io.tlsnic.harness.replay;

import java.util.Arrays;

import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Checks the transmit side on captured traffic: each record a receiver opened is sealed again from its plaintext,
 * with its record number, its content type and (TLS 1.3) its padding, the way kTLS TX would seal it, and compared
 * byte for byte with the captured record. For TLS 1.2 AES-GCM the cipher is installed as a kTLS user would install
 * it to reproduce the sender: {@code crypto_info.iv} = the first record's captured explicit nonce and
 * {@code rec_seq} = its number, so every later explicit nonce is predicted by {@link RecordCipher#explicitNonceFor};
 * a record whose nonce is not the predicted one is counted ({@link #explicitNonceNotSequential()}) and compared
 * after sealing with its own nonce.
 */
public final class TxVerifier
{
    private CryptoInfo cryptoInfo;
    private RecordCipher cipher;
    private long compared;
    private long mismatched;
    private long explicitNonceNotSequential;
    private int explicitNonceLength;
    private String firstMismatch;
    /** Where each record is sealed again (reused: a record's copy is only compared). */
    private byte[] sealed = new byte[0];

    /** @param cryptoInfo the direction's keys (a copy is kept until {@link #install} replaces it). */
    public void install(final CryptoInfo cryptoInfo)
    {
        this.cryptoInfo = cryptoInfo;
        this.cipher = null;
        this.explicitNonceLength = cryptoInfo.cipher().explicitNonceLength(cryptoInfo.version());
    }

    /** @param record a record as received and opened. */
    public void verify(final ReceivedRecord record)
    {
        if (cipher == null)
        {
            cipher = cipherFor(record);
        }
        RecordCipher sealer = cipher;
        if (explicitNonceLength > 0)
        {
            final long captured = explicitNonceOf(record);
            if (captured != cipher.explicitNonceFor(record.recordNumber()))
            {
                // kTLS TX could not have sent this nonce; check the rest of the record with the sender's own
                explicitNonceNotSequential++;
                final CryptoInfo info = cryptoInfo;
                sealer = new RecordCipher(info.version(), info.cipher(), info.key(), info.salt(),
                    Arrays.copyOfRange(record.captured(), 5, 5 + explicitNonceLength), record.recordNumber());
            }
        }
        final int sealedLength = sealer.sealedLength(record.plaintext().length, record.paddingLength());
        if (sealed.length < sealedLength)
        {
            sealed = new byte[Math.max(sealedLength, 2 * sealed.length)];
        }
        sealer.seal(record.recordNumber(), record.contentType(), record.plaintext(), 0, record.plaintext().length,
            record.paddingLength(), sealed, 0);
        compared++;
        final byte[] captured = record.captured();
        if (!Arrays.equals(sealed, 0, sealedLength, captured, 0, captured.length))
        {
            mismatched++;
            if (firstMismatch == null)
            {
                firstMismatch = "record " + Long.toUnsignedString(record.recordNumber()) + " at tcp seq "
                    + record.tcpSeq() + ": re-sealed " + sealedLength + " bytes differ from the captured "
                    + captured.length + " at byte "
                    + Arrays.mismatch(sealed, 0, sealedLength, captured, 0, captured.length);
            }
        }
    }

    private static long explicitNonceOf(final ReceivedRecord record)
    {
        long nonce = 0;
        for (int i = 5; i < 5 + 8; i++)
        {
            nonce = (nonce << 8) | (record.captured()[i] & 0xFF);
        }
        return nonce;
    }

    private RecordCipher cipherFor(final ReceivedRecord first)
    {
        final CryptoInfo info = cryptoInfo;
        if (info.version() == TlsVersion.TLS_1_2 && info.cipher().isAesGcm())
        {
            final byte[] explicitNonce = Arrays.copyOfRange(first.captured(), 5, 5 + info.cipher().ivLength());
            return new RecordCipher(info.version(), info.cipher(), info.key(), info.salt(), explicitNonce,
                first.recordNumber());
        }
        return HandshakeTracker.cipherFor(info);
    }

    /** @return records sealed again and compared. */
    public long compared()
    {
        return compared;
    }

    /** @return records whose re-sealed bytes differ from the capture. */
    public long mismatched()
    {
        return mismatched;
    }

    /**
     * @return TLS 1.2 records whose captured explicit nonce is not the one kTLS would send (crypto_info.iv + record
     *     number - rec_seq): the sender used another scheme (some XOR the record number into a fixed value). They
     *     are compared after sealing with their own nonce; a kTLS sender would put other nonces on the wire.
     */
    public long explicitNonceNotSequential()
    {
        return explicitNonceNotSequential;
    }

    /** @return the first mismatch, or null. */
    public String firstMismatch()
    {
        return firstMismatch;
    }
}
