package io.tlsnic.nic.flow;

/**
 * The expanded, per-flow state of the inline engine that the device's context cache holds for active flows:
 * cipher state plus the record cursor. What survives an eviction is written back to the compact table slot.
 */
public interface FlowEngine
{
    /** @return whether a record is in flight (its AES/GHASH carry would be lost on eviction). */
    boolean midRecord();

    /**
     * @return whether the state must not be evicted now. A TX engine in the middle of a record is pinned: without
     *     its carry the rest of the record could not be encrypted (the DUMP rebuild that would recover it belongs to
     *     the resync work).
     */
    boolean pinned();

    /**
     * Writes what survives an eviction to the slot: expected TCP seq, record number, tracker state, offset in
     * and length of the current record.
     *
     * @param table the table.
     * @param slot this engine's slot.
     */
    void saveTo(FlowContextTable table, int slot);

    /**
     * Frees the cipher state (a native kernel's key schedule is wiped here, not at some later GC): called when the
     * cache drops the state, after {@link #saveTo} if it is evicted. The state is not used again.
     */
    default void close()
    {
    }
}
