package io.tlsnic.harness.replay;

import java.util.Arrays;

import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsRecordHeader;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Opens framed records in software (net/tls {@code tls_sw.c}) and reports them to a {@link RecordListener}
 * ({@link RecordClass#SOFTWARE} unless told otherwise): the record layer of {@link SoftwareRecordReceiver}, and of
 * {@link DeviceRecordReceiver} for the records it cannot take through the device.
 * <p>
 * After bytes the capture lost, when a lost header hides how many records were lost, the record numbers after the
 * known one are tried (at most {@value #MAX_LOST_RECORDS}) until the record authenticates. An authentication failure
 * otherwise is sticky, like kTLS's EBADMSG. After a TLS 1.3 KeyUpdate nothing opens until {@link #rekey}.
 */
final class RecordOpener
{
    /** How many record numbers past the expected one are tried after a lost record header. */
    static final int MAX_LOST_RECORDS = 4096;

    private final String direction;
    private final RecordListener listener;
    private final TlsVersion version;
    private RecordCipher cipher;
    private long recordNumber;
    private int generation;
    private boolean awaitingKey;
    private boolean failed;

    /**
     * @param direction  "src -> dst", for messages.
     * @param cryptoInfo keys; {@code rec_seq} is the next record's number.
     * @param generation key generation of these keys.
     * @param listener   where records go.
     */
    RecordOpener(final String direction, final CryptoInfo cryptoInfo, final int generation,
        final RecordListener listener)
    {
        this.direction = direction;
        this.listener = listener;
        this.version = cryptoInfo.version();
        this.generation = generation;
        install(cryptoInfo);
    }

    /** Installs the next generation's key (TLS 1.3 KeyUpdate). */
    void rekey(final CryptoInfo next)
    {
        install(next);
        generation++;
        awaitingKey = false;
    }

    /** @return whether a record failed (nothing is opened after it). */
    boolean failed()
    {
        return failed;
    }

    /**
     * @param tcpSeq         seq of the record header.
     * @param record         header and body as captured.
     * @param afterLostChain whether records of unknown number were lost just before it.
     */
    void open(final long tcpSeq, final byte[] record, final boolean afterLostChain)
    {
        open(tcpSeq, record, afterLostChain, RecordClass.SOFTWARE);
    }

    /**
     * @param tcpSeq         seq of the record header.
     * @param record         header and body as captured.
     * @param afterLostChain whether records of unknown number were lost just before it.
     * @param recordClass    the class to report it with.
     */
    void open(final long tcpSeq, final byte[] record, final boolean afterLostChain, final RecordClass recordClass)
    {
        if (failed)
        {
            return;
        }
        if (awaitingKey)
        {
            fail(tcpSeq, "EKEYEXPIRED: a KeyUpdate came before and no key of generation " + (generation + 1)
                + " is known");
            return;
        }
        final byte[] out = new byte[record.length];
        final long last = afterLostChain ? recordNumber + MAX_LOST_RECORDS : recordNumber;
        TlsErrnoException error = null;
        for (long number = recordNumber; number <= last; number++)
        {
            try
            {
                final int length = cipher.open(number, record, 0, record.length, out, 0);
                recordNumber = number + 1;
                deliver(number, tcpSeq, record, Arrays.copyOf(out, length), recordClass);
                return;
            }
            catch (final TlsErrnoException e)
            {
                error = e;
            }
        }
        recordNumber = last;
        fail(tcpSeq, error.errnoName() + ": " + error.detail() + " (" + direction + ")");
    }

    /** A record the capture lacks bytes of: it uses up its number when its header was seen. */
    void incomplete(final long tcpSeq, final int recordLength, final String reason)
    {
        if (recordLength > 0)
        {
            recordNumber++;
        }
        listener.onIncomplete(tcpSeq, recordLength, reason);
    }

    /** Bytes at a record boundary that are not a record header. */
    void notTls(final long tcpSeq)
    {
        fail(tcpSeq, "EMSGSIZE: bytes at a record boundary are not a TLS record header (" + direction + ")");
    }

    private void deliver(final long number, final long tcpSeq, final byte[] record, final byte[] plaintext,
        final RecordClass recordClass)
    {
        final int contentType = cipher.lastContentType();
        final int paddingLength = version == TlsVersion.TLS_1_3
            ? record.length - RecordProtection.HEADER_LENGTH - TlsCipher.TAG_LENGTH - 1 - plaintext.length : 0;
        final boolean keyUpdate = version == TlsVersion.TLS_1_3 && contentType == TlsRecordHeader.CONTENT_TYPE_HANDSHAKE
            && plaintext.length > 0
            && (plaintext[0] & 0xFF) == HandshakeMessages.KEY_UPDATE;
        if (keyUpdate)
        {
            awaitingKey = true;
        }
        listener.onRecord(new ReceivedRecord(number, generation, tcpSeq, contentType, plaintext, paddingLength,
            record, recordClass));
    }

    private void fail(final long tcpSeq, final String reason)
    {
        failed = true;
        listener.onError(tcpSeq, recordNumber, reason);
    }

    private void install(final CryptoInfo cryptoInfo)
    {
        cipher = HandshakeTracker.cipherFor(cryptoInfo);
        recordNumber = cryptoInfo.recSeq();
    }
}
