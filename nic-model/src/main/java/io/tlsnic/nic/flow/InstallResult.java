package io.tlsnic.nic.flow;

/** Outcome of {@link FlowContextTable#install}. */
public enum InstallResult
{
    /** Installed. */
    INSTALLED,
    /** No free slot. */
    TABLE_FULL,
    /** The version x cipher pair is known but not offloaded by this device. */
    UNSUPPORTED,
    /** The crypto_info is malformed: unknown version or cipher code, or a length that does not match. */
    BAD_CRYPTO_INFO,
    /** The context id is already installed. */
    DUPLICATE_ID,
    /** A context for the same flow and direction is already installed. */
    DUPLICATE_FLOW
}
