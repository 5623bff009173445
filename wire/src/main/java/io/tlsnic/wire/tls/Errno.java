package io.tlsnic.wire.tls;

/** The Linux errno values the kTLS API reports, with their numbers on Linux x86-64. */
public enum Errno
{
    EPERM(1), EIO(5), EAGAIN(11), ENOMEM(12), EBUSY(16), EEXIST(17), EINVAL(22), ENOSPC(28), EPIPE(32),
    ENOPROTOOPT(92), EMSGSIZE(90), EOPNOTSUPP(95), ECONNRESET(104), ENOTCONN(107), EKEYEXPIRED(127), EBADMSG(74);

    private final int number;

    Errno(final int number)
    {
        this.number = number;
    }

    /** @return the numeric errno. */
    public int number()
    {
        return number;
    }
}
