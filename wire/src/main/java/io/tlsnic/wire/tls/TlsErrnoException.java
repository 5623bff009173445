package io.tlsnic.wire.tls;

/**
 * A failure that the Linux TLS socket layer reports as an errno: the {@link Errno} says which, the message names
 * the values that caused it. {@link #getMessage()} is one line, {@code "EINVAL: crypto_info length 39 does not
 * match 40 for AES-128-GCM"}, ready to show a user; {@link #detail()} is the same without the errno prefix.
 * Unchecked, because the callers that turn it into a system-call return value sit at the socket boundary and
 * everything in between only passes it on.
 */
public class TlsErrnoException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String detail;

    /**
     * @param errno  the errno a system call would return.
     * @param detail what was wrong, naming the values.
     */
    public TlsErrnoException(final Errno errno, final String detail)
    {
        // An errno is an API result (EAGAIN is flow control), not a bug: no stack trace to fill in.
        super(errno.name() + ": " + detail, null, false, false);
        this.errno = errno;
        this.detail = detail;
    }

    /** @return the errno a system call would return. */
    public Errno errno()
    {
        return errno;
    }

    /** @return the errno name, e.g. "EINVAL". */
    public String errnoName()
    {
        return errno.name();
    }

    /** @return the message without the errno prefix. */
    public String detail()
    {
        return detail;
    }
}
