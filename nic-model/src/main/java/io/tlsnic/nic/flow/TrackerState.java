package io.tlsnic.nic.flow;

/** Record-tracker state of a context, kept in its table slot (OFFLOAD-CONTRACT section 5). */
public enum TrackerState
{
    /** Installed; no segment seen yet. */
    START,
    /** In sync: the next expected TCP seq and where it falls in the current record are known. */
    TRACKING,
    /** Sync lost: scanning for a record header (RX). */
    SEARCHING,
    /** A header candidate was reported to the host; waiting for its answer (RX). */
    RESYNC_PENDING;

    private static final TrackerState[] BY_CODE = values();

    /** @param code ordinal. @return the state. */
    static TrackerState fromCode(final int code)
    {
        return BY_CODE[code];
    }
}
