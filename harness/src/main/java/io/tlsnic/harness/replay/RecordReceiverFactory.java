package io.tlsnic.harness.replay;

import io.tlsnic.wire.tls.CryptoInfo;

/** Creates the receiver of one direction when the TLS library installs its RX keys. */
@FunctionalInterface
public interface RecordReceiverFactory
{
    /**
     * @param source      sender of the direction (the TCP peer the receiver's host talks to).
     * @param destination receiver of the direction (the receiving host's address and port).
     * @param cryptoInfo keys; {@code rec_seq} is the number of the first record.
     * @param startSeq   TCP sequence number of that first record's header.
     * @param captured   the direction as the replay's first pass reassembled and framed it.
     * @param listener   where records go.
     * @return the receiver.
     */
    RecordReceiver create(Endpoint source, Endpoint destination, CryptoInfo cryptoInfo, long startSeq,
        DirectionStream captured, RecordListener listener);
}
