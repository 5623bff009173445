package io.tlsnic.stack.net;

/** Host-wide receive and transmit counters, labelled as Linux's SNMP MIB names them where one exists. */
public enum HostCounter
{
    /** Frames that were not Ethernet + IPv4/IPv6 + TCP, or were truncated. */
    IP_IN_DISCARDS("IpInDiscards"),
    /** TCP segments with a bad checksum (checked by the host when the device does not). */
    IN_CSUM_ERRORS("TcpInCsumErrors"),
    /** Segments with malformed TCP options or for another address. */
    IN_ERRS("TcpInErrs"),
    /** Segments for no connection and no listener, answered with a reset. */
    OUT_RSTS("TcpOutRsts"),
    /** Frames the device refused for a while (queue full) and the host kept to send later (no Linux name). */
    TX_DEFERRED("TxDeferred");

    private final String label;

    HostCounter(final String label)
    {
        this.label = label;
    }

    /** @return the Linux-style name. */
    public String label()
    {
        return label;
    }
}
