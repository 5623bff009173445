package io.tlsnic.stack.tls;

/**
 * The control-message buffer of a {@code recvmsg}: passing one is what {@code msg_control} is in C. The call
 * fills it with the {@link Ktls#TLS_GET_RECORD_TYPE} value, the content type of the bytes it returned. Reading a
 * non-data record without one fails with EIO (tls.rst: "the kernel will return EIO if a control message is
 * received without a cmsg buffer set").
 */
public final class RecordTypeCmsg
{
    private int recordType = -1;

    /** @return the content type the last call reported, or -1 when it reported none. */
    public int recordType()
    {
        return recordType;
    }

    /** @return whether the last call put a record type in this buffer. */
    public boolean isSet()
    {
        return recordType >= 0;
    }

    void clear()
    {
        recordType = -1;
    }

    void set(final int type)
    {
        recordType = type;
    }

    @Override
    public String toString()
    {
        return "RecordTypeCmsg{" + recordType + '}';
    }
}
