package io.tlsnic.wire.tls;

/**
 * The Linux errno values the TLS socket layer and the emulated device report, with their numeric values from
 * {@code include/uapi/asm-generic/errno-base.h} and {@code errno.h} (x86-64 and arm64 agree on all of these).
 * The constant name is the errno name users see ({@code "EINVAL"}).
 */
public enum Errno
{
    /** No such file or directory, e.g. {@code TCP_ULP} with a name no module provides ({@code tcp_set_ulp}). */
    ENOENT(2),
    /** Input/output error, e.g. a control record read without a cmsg buffer. */
    EIO(5),
    /** Bad file descriptor: any call on a socket after {@code close()}. */
    EBADF(9),
    /** Try again: non-blocking operation would block. */
    EAGAIN(11),
    /** Out of memory, e.g. the send buffer could not be reserved. */
    ENOMEM(12),
    /** Device or resource busy, e.g. TLS 1.2 rekey or max-payload change while a record is open. */
    EBUSY(16),
    /** Already exists, e.g. a second TCP_ULP "tls" or a second crypto_info for a direction on TLS 1.2. */
    EEXIST(17),
    /** Invalid argument: bad crypto_info, version mismatch in a record header. */
    EINVAL(22),
    /** No space left, e.g. a device table full. */
    ENOSPC(28),
    /** Broken pipe: write after shutdown. */
    EPIPE(32),
    /** Not a data message: a record failed authentication (sticky on the socket). */
    EBADMSG(74),
    /** Message too long (or too short): a record length outside the limits. */
    EMSGSIZE(90),
    /** Protocol not available: unknown socket option. */
    ENOPROTOOPT(92),
    /** Connection reset by peer. */
    ECONNRESET(104),
    /** Transport endpoint is not connected: TCP_ULP on a socket that is not ESTABLISHED. */
    ENOTCONN(107),
    /** Key has expired: a TLS 1.3 KeyUpdate was received and the new RX key is not installed yet. */
    EKEYEXPIRED(127);

    private final int value;

    Errno(final int value)
    {
        this.value = value;
    }

    /** @return the positive Linux errno value, e.g. 22 for EINVAL (system calls return its negation). */
    public int value()
    {
        return value;
    }
}
