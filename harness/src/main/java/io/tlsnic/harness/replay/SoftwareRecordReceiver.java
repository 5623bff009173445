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
 * The kTLS software receive path (net/tls {@code tls_sw.c}): TCP reassembles the direction, records are framed
 * from the stream ({@link RecordFramer}) and each is opened with {@link RecordCipher}. Every record is
 * {@link RecordClass#SOFTWARE} and every packet {@link PacketMark#NOT_DECRYPTED}.
 * <p>
 * After bytes the capture lost, framing resumes where the record chain allows; when a lost header hides how many
 * records were lost, the record numbers after the known one are tried (at most {@value #MAX_LOST_RECORDS}) until
 * the record authenticates. An authentication failure otherwise is sticky, like kTLS's EBADMSG.
 */
public final class SoftwareRecordReceiver implements RecordReceiver, RecordFramer.RecordSink
{
    /** How many record numbers past the expected one are tried after a lost record header. */
    static final int MAX_LOST_RECORDS = 4096;

    private final String direction;
    private final RecordListener listener;
    private final TcpReassembler reassembler;
    private final RecordFramer framer = new RecordFramer(this);
    private final TlsVersion version;
    private RecordCipher cipher;
    private long recordNumber;
    private int generation;
    private boolean awaitingKey;
    private boolean failed;

    /**
     * @param direction  "src -> dst", for messages.
     * @param cryptoInfo keys; {@code rec_seq} is the first record's number.
     * @param startSeq   TCP sequence number of the first record's header.
     * @param listener   where records go.
     */
    public SoftwareRecordReceiver(
        final String direction, final CryptoInfo cryptoInfo, final long startSeq, final RecordListener listener)
    {
        this.direction = direction;
        this.listener = listener;
        this.version = cryptoInfo.version();
        this.reassembler = new TcpReassembler(framer);
        reassembler.accept(startSeq, false, new byte[0]);
        install(cryptoInfo);
    }

    /** @return a factory of software receivers. */
    public static RecordReceiverFactory factory()
    {
        return SoftwareRecordReceiver::new;
    }

    @Override
    public PacketMark onSegment(
        final long frameNumber, final long tcpSeq, final byte[] payload, final int offset, final int length)
    {
        reassembler.accept(tcpSeq, false, Arrays.copyOfRange(payload, offset, offset + length));
        return PacketMark.NOT_DECRYPTED;
    }

    @Override
    public void rekey(final CryptoInfo next)
    {
        install(next);
        generation++;
        awaitingKey = false;
    }

    @Override
    public void finish()
    {
        reassembler.finish();
        framer.finish();
    }

    @Override
    public void onRecord(final long streamOffset, final byte[] record, final boolean afterLostChain)
    {
        final long tcpSeq = reassembler.seq(streamOffset);
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
                deliver(number, tcpSeq, record, Arrays.copyOf(out, length));
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

    @Override
    public void onIncomplete(final long streamOffset, final int recordLength, final String reason)
    {
        if (recordLength > 0)
        {
            recordNumber++;
        }
        listener.onIncomplete(reassembler.seq(streamOffset), recordLength, reason);
    }

    @Override
    public void onNotTls(final long streamOffset)
    {
        fail(reassembler.seq(streamOffset), "EMSGSIZE: bytes at a record boundary are not a TLS record header ("
            + direction + ")");
    }

    private void deliver(final long number, final long tcpSeq, final byte[] record, final byte[] plaintext)
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
            record, RecordClass.SOFTWARE));
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
