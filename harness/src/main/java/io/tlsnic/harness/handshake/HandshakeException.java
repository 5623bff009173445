package io.tlsnic.harness.handshake;

import java.io.IOException;

/** A TLS handshake that did not complete, with one line saying which side failed and why. */
public final class HandshakeException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the side, version and alert.
     * @param cause the library's exception, or null.
     */
    public HandshakeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
