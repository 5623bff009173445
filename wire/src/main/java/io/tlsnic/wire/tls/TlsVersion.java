package io.tlsnic.wire.tls;

/**
 * The TLS versions the record layer handles, with the 16-bit code that {@code crypto_info.version} and the
 * ServerHello carry (include/uapi/linux/tls.h: {@code TLS_1_2_VERSION}, {@code TLS_1_3_VERSION}).
 */
public enum TlsVersion
{
    TLS_1_2(0x0303, "TLS 1.2"),
    TLS_1_3(0x0304, "TLS 1.3");

    private final int code;
    private final String label;

    TlsVersion(final int code, final String label)
    {
        this.code = code;
        this.label = label;
    }

    /** @return the wire code, e.g. 0x0303 for TLS 1.2. */
    public int code()
    {
        return code;
    }

    /** @return a human label such as "TLS 1.3". */
    public String label()
    {
        return label;
    }

    /**
     * @param code wire code.
     * @return the version, or {@code null} when the code is not one of the handled versions.
     */
    public static TlsVersion fromCode(final int code)
    {
        for (final TlsVersion v : values())
        {
            if (v.code == code)
            {
                return v;
            }
        }
        return null;
    }

    @Override
    public String toString()
    {
        return label;
    }
}
