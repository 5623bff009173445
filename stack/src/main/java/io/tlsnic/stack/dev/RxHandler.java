package io.tlsnic.stack.dev;

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
}
