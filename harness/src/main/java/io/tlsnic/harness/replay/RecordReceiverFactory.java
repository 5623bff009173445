package io.tlsnic.harness.replay;

import io.tlsnic.wire.tls.CryptoInfo;

/** Creates the receiver of one direction when the TLS library installs its RX keys. */
@FunctionalInterface
public interface RecordReceiverFactory
{
    /**
     * @param direction  "src -> dst" of the direction, for messages and device flow lookup.
     * @param cryptoInfo keys; {@code rec_seq} is the number of the first record.
     * @param startSeq   TCP sequence number of that first record's header.
     * @param listener   where records go.
     * @return the receiver.
     */
    RecordReceiver create(String direction, CryptoInfo cryptoInfo, long startSeq, RecordListener listener);
}
