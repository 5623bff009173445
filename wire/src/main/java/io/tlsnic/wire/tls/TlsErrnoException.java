package io.tlsnic.wire.tls;

/**
 * An error the kTLS API reports with an errno, and a message that names the values involved
 * ("record length 16642 exceeds 16640 at record 91").
 */
public class TlsErrnoException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    /**
     * @param errno the errno Linux would return.
     * @param message what and where, naming the values.
     */
    public TlsErrnoException(final Errno errno, final String message)
    {
        super(errno.name() + ": " + message, null, false, false);
        this.errno = errno;
    }

    /** @return the errno. */
    public Errno errno()
    {
        return errno;
    }
}
