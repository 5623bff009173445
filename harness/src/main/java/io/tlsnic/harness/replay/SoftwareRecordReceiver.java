package io.tlsnic.harness.replay;

import io.tlsnic.wire.tls.CryptoInfo;

/**
 * The kTLS software receive path (net/tls {@code tls_sw.c}): TCP reassembles the direction, records are framed
 * from the stream ({@link RecordFramer}) and each is opened in software ({@link RecordOpener}). Every record is
 * {@link RecordClass#SOFTWARE} and every packet {@link PacketMark#NOT_DECRYPTED}.
 * <p>
 * After bytes the capture lost, framing resumes where the record chain allows; when a lost header hides how many
 * records were lost, the record numbers after the known one are tried (at most {@value #MAX_LOST_RECORDS}) until
 * the record authenticates. An authentication failure otherwise is sticky, like kTLS's EBADMSG.
 */
public final class SoftwareRecordReceiver implements RecordReceiver, RecordFramer.RecordSink
{
    /** How many record numbers past the expected one are tried after a lost record header. */
    static final int MAX_LOST_RECORDS = RecordOpener.MAX_LOST_RECORDS;

    private final TcpReassembler reassembler;
    private final RecordFramer framer = new RecordFramer(this);
    private final RecordOpener opener;

    /**
     * @param direction  "src -> dst", for messages.
     * @param cryptoInfo keys; {@code rec_seq} is the first record's number.
     * @param startSeq   TCP sequence number of the first record's header.
     * @param listener   where records go.
     */
    public SoftwareRecordReceiver(
        final String direction, final CryptoInfo cryptoInfo, final long startSeq, final RecordListener listener)
    {
        this.reassembler = new TcpReassembler(framer);
        reassembler.accept(startSeq, false, new byte[0]);
        this.opener = new RecordOpener(direction, cryptoInfo, 0, listener);
    }

    /** @return a factory of software receivers. */
    public static RecordReceiverFactory factory()
    {
        return (source, destination, cryptoInfo, startSeq, captured, listener) ->
            new SoftwareRecordReceiver(source + " -> " + destination, cryptoInfo, startSeq, listener);
    }

    @Override
    public PacketMark onSegment(
        final long frameNumber, final long tcpSeq, final byte[] payload, final int offset, final int length)
    {
        reassembler.accept(tcpSeq, false, payload, offset, length);
        return PacketMark.NOT_DECRYPTED;
    }

    @Override
    public void rekey(final CryptoInfo next)
    {
        opener.rekey(next);
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
        opener.open(reassembler.seq(streamOffset), record, afterLostChain);
    }

    @Override
    public void onIncomplete(final long streamOffset, final int recordLength, final String reason)
    {
        opener.incomplete(reassembler.seq(streamOffset), recordLength, reason);
    }

    @Override
    public void onNotTls(final long streamOffset)
    {
        opener.notTls(reassembler.seq(streamOffset));
    }
}
