package io.tlsnic.stack.dev;

import net.openhft.chronicle.bytes.BytesStore;

/** The stack's receive entry point (netif_receive_skb): one frame with its device mark. */
@FunctionalInterface
public interface RxHandler
{
    /** The device passed the payload as it arrived. */
    int MARK_NONE = 0;
    /** The device decrypted and authenticated every TLS record part in the payload (skb->decrypted). */
    int MARK_DECRYPTED = 1;
    /** The device found a record that failed authentication; the payload is unmodified. */
    int MARK_DECRYPT_FAILED = 2;

    /**
     * @param frame frame bytes; the stack may keep a reference (the device hands the buffer over).
     * @param offset first byte of the Ethernet header.
     * @param length frame length.
     * @param mark one of the MARK_ values.
     */
    void onReceive(byte[] frame, int offset, int length, int mark);

    /**
     * The same, with the frame lent where the device wrote it (its RX buffer, Linux's DMA'd page) for the duration of
     * the call: the stack copies what it keeps, and the buffer goes back to the device when the call returns. The
     * default copies the frame into an array of its own and hands that to {@link #onReceive(byte[], int, int, int)}.
     *
     * @param buffer the RX buffer.
     * @param offset index of the first byte of the Ethernet header in it.
     * @param length frame length.
     * @param mark one of the MARK_ values.
     */
    default void onReceive(final BytesStore<?, ?> buffer, final long offset, final int length, final int mark)
    {
        final byte[] frame = new byte[length];
        buffer.read(offset, frame, 0, length);
        onReceive(frame, 0, length, mark);
    }

    /**
     * The device's poll that delivered frames has ended ({@code napi_complete_done}): frames held to be merged
     * (GRO) go up now. Called only by devices whose features say {@code napi}.
     */
    default void onPollEnd()
    {
        // Nothing held by default.
    }
}
