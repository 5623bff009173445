package io.tlsnic.wire.link;

/** One end of a {@link Link}: a NIC's port or a software device. */
public interface LinkPort
{
    /**
     * Called once when a link is plugged into this port.
     *
     * @param link the link; frames go out with {@code link.carry(this, frame, length)}.
     */
    void attach(Link link);

    /**
     * A frame arrived from the link.
     *
     * @param frame frame bytes, owned by the receiver from now on.
     * @param length frame length.
     */
    void receiveFrame(byte[] frame, int length);
}
