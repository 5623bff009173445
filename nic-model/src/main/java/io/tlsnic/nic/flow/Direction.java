package io.tlsnic.nic.flow;

/** Direction of an offloaded TLS context, with its code in control commands. */
public enum Direction
{
    /** Transmit: the device encrypts. */
    TX(0),
    /** Receive: the device decrypts. */
    RX(1);

    private final int code;

    Direction(final int code)
    {
        this.code = code;
    }

    /** @return the code in a control command (0 TX, 1 RX). */
    public int code()
    {
        return code;
    }

    /**
     * @param code command code.
     * @return the direction, or {@code null} for an unknown code.
     */
    public static Direction fromCode(final int code)
    {
        return code == 0 ? TX : code == 1 ? RX : null;
    }
}
