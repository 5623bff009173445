package io.tlsnic.nic.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.IntConsumer;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * The device's per-flow TLS context table: a fixed number of slots in one flat {@code byte[]} slab, looked up by
 * context id or by flow key (two open-addressing indexes), with a free list of slot numbers. Install and remove
 * allocate nothing. The slab holds what a device keeps per flow in its context memory — key material and running
 * record state — while the expanded cipher state lives in the {@link ContextCache}.
 *
 * <pre>
 *  slot (128 bytes, little-endian; addresses big-endian as in packets)
 *    0  u32 context id                4  u8 tracker state   5  u8 flags (bit 0 NEEDS_REBUILD)
 *    6  u8  direction (0 TX, 1 RX)     7  u8 IP version
 *    8  u16 TLS version code          10  u8 cipher id      11  u8 key length
 *   12  u32 expected TCP seq          16  u64 record number (unsigned)
 *   24  u32 offset in current record  28  u32 current record length (0 = not known yet)
 *   32  u16 source port               34  u16 destination port      36  u32 start TCP seq (install)
 *   40  source address (16)           56  destination address (16)
 *   72  key (32; AES-128 uses 16)    104  nonce base: salt || iv (12)
 *  116  reserved (12)
 * </pre>
 *
 * Removing a context zeroes its whole slot (keys are secrets) before the slot goes back on the free list. Each
 * slot also has a generation number (outside the slab, not secret) that changes on every install, so a cached
 * cipher state can tell it belongs to an earlier occupant. Only the device agent uses a table.
 */
public final class FlowContextTable
{
    /** Bytes per slot in the slab. */
    public static final int SLOT_LENGTH = 128;

    static final int CONTEXT_ID_OFFSET = 0;
    static final int STATE_OFFSET = 4;
    static final int FLAGS_OFFSET = 5;
    static final int DIRECTION_OFFSET = 6;
    static final int IP_VERSION_OFFSET = 7;
    static final int TLS_VERSION_OFFSET = 8;
    static final int CIPHER_ID_OFFSET = 10;
    static final int KEY_LENGTH_OFFSET = 11;
    static final int EXPECTED_TCP_SEQ_OFFSET = 12;
    static final int RECORD_NUMBER_OFFSET = 16;
    static final int RECORD_OFFSET_OFFSET = 24;
    static final int RECORD_LENGTH_OFFSET = 28;
    static final int SRC_PORT_OFFSET = 32;
    static final int DST_PORT_OFFSET = 34;
    static final int START_TCP_SEQ_OFFSET = 36;
    static final int SRC_ADDRESS_OFFSET = 40;
    static final int DST_ADDRESS_OFFSET = 56;
    /** Offset of the key inside a slot. */
    public static final int KEY_OFFSET = 72;
    /** Offset of the 12-byte nonce base (salt || iv) inside a slot. */
    public static final int NONCE_BASE_OFFSET = KEY_OFFSET + 32;
    static final int NONCE_BASE_LENGTH = 12;

    /** Flag: the cached cipher state was lost mid-record; the data path must rebuild (TX) or skip to sync (RX). */
    public static final int FLAG_NEEDS_REBUILD = 1;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final TlsCipher[] CIPHERS = TlsCipher.values();

    private final int capacity;
    private final DeviceCapabilities capabilities;
    private final byte[] slab;
    private final int[] generations;
    private final int[] freeSlots;
    private int freeCount;
    private final SlotIndex byId;
    private final SlotIndex byFlow;
    private final FlowKey scratchKey = new FlowKey();
    private IntConsumer removalListener;
    private IntConsumer resyncListener = slot -> { };

    /**
     * @param capacity number of contexts, at least 1.
     * @param capabilities version x cipher pairs the device accepts.
     */
    public FlowContextTable(final int capacity, final DeviceCapabilities capabilities)
    {
        if (capacity < 1 || capacity > (Integer.MAX_VALUE / SLOT_LENGTH))
        {
            throw new IllegalArgumentException("context table capacity " + capacity + " out of range");
        }
        this.capacity = capacity;
        this.capabilities = capabilities;
        this.slab = new byte[capacity * SLOT_LENGTH];
        this.generations = new int[capacity];
        this.freeSlots = new int[capacity];
        // Lowest slot first, so a fresh table fills from slot 0.
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.byId = new SlotIndex(capacity);
        this.byFlow = new SlotIndex(capacity);
    }

    /** @param listener told the slot number of every removed context (the context cache drops its state). */
    public void setRemovalListener(final IntConsumer listener)
    {
        this.removalListener = listener;
    }

    /** @param listener told the slot of every context the host resyncs (its cached state is then stale). */
    public void setResyncListener(final IntConsumer listener)
    {
        this.resyncListener = listener;
    }

    /** @param slot a slot whose rebuild flag the engine state has consumed. */
    public void clearNeedsRebuild(final int slot)
    {
        slab[slot * SLOT_LENGTH + FLAGS_OFFSET] &= ~FLAG_NEEDS_REBUILD;
    }

    /**
     * Installs a context.
     *
     * @param contextId the driver's id for it.
     * @param flow flow key and direction.
     * @param cryptoInfo buffer holding a Linux crypto_info struct.
     * @param offset where it starts.
     * @param length its length.
     * @param startTcpSeq TCP seq where offload starts (TX: the write seq; RX: the first unread byte).
     * @return the outcome; the table is unchanged unless {@link InstallResult#INSTALLED}.
     */
    public InstallResult install(
        final int contextId, final FlowKey flow, final byte[] cryptoInfo, final int offset, final int length,
        final int startTcpSeq)
    {
        if (length < CryptoInfo.HEADER_LENGTH || offset < 0 || offset > cryptoInfo.length - length)
        {
            return InstallResult.BAD_CRYPTO_INFO;
        }
        // crypto_info header: u16 version, u16 cipher_type, both little-endian.
        final int header = (int)INT.get(cryptoInfo, offset);
        final int versionCode = header & 0xFFFF;
        final int cipherId = header >>> 16;
        final TlsVersion version = versionCode == 0x0303 ? TlsVersion.TLS_1_2 :
            versionCode == 0x0304 ? TlsVersion.TLS_1_3 : null;
        final TlsCipher cipher = cipherOf(cipherId);
        if (version == null || cipher == null)
        {
            return InstallResult.BAD_CRYPTO_INFO;
        }
        if (!capabilities.supports(version, cipher))
        {
            return InstallResult.UNSUPPORTED;
        }
        if (length != CryptoInfo.encodedLength(cipher))
        {
            return InstallResult.BAD_CRYPTO_INFO;
        }
        if (slotOf(contextId) >= 0)
        {
            return InstallResult.DUPLICATE_ID;
        }
        final int flowHash = flow.hashCode();
        if (lookup(flow, flowHash) >= 0)
        {
            return InstallResult.DUPLICATE_FLOW;
        }
        if (freeCount == 0)
        {
            return InstallResult.TABLE_FULL;
        }
        final int slot = freeSlots[--freeCount];
        final int base = slot * SLOT_LENGTH;
        final int ivOffset = offset + CryptoInfo.IV_OFFSET;
        final int keyOffset = ivOffset + cipher.ivLength();
        final int saltOffset = keyOffset + cipher.keyLength();
        final int recSeqOffset = saltOffset + cipher.saltLength();

        INT.set(slab, base + CONTEXT_ID_OFFSET, contextId);
        slab[base + STATE_OFFSET] = (byte)TrackerState.START.ordinal();
        slab[base + FLAGS_OFFSET] = 0;
        slab[base + DIRECTION_OFFSET] = (byte)flow.direction().code();
        slab[base + IP_VERSION_OFFSET] = (byte)flow.ipVersion();
        slab[base + TLS_VERSION_OFFSET] = (byte)versionCode;
        slab[base + TLS_VERSION_OFFSET + 1] = (byte)(versionCode >>> 8);
        slab[base + CIPHER_ID_OFFSET] = (byte)cipherId;
        slab[base + KEY_LENGTH_OFFSET] = (byte)cipher.keyLength();
        INT.set(slab, base + EXPECTED_TCP_SEQ_OFFSET, startTcpSeq);
        LONG.set(slab, base + RECORD_NUMBER_OFFSET, (long)BE_LONG.get(cryptoInfo, recSeqOffset));
        INT.set(slab, base + RECORD_OFFSET_OFFSET, 0);
        INT.set(slab, base + RECORD_LENGTH_OFFSET, 0);
        INT.set(slab, base + SRC_PORT_OFFSET, flow.srcPort() | flow.dstPort() << 16);
        INT.set(slab, base + START_TCP_SEQ_OFFSET, startTcpSeq);
        BE_LONG.set(slab, base + SRC_ADDRESS_OFFSET, flow.srcHigh());
        BE_LONG.set(slab, base + SRC_ADDRESS_OFFSET + 8, flow.srcLow());
        BE_LONG.set(slab, base + DST_ADDRESS_OFFSET, flow.dstHigh());
        BE_LONG.set(slab, base + DST_ADDRESS_OFFSET + 8, flow.dstLow());
        System.arraycopy(cryptoInfo, keyOffset, slab, base + KEY_OFFSET, cipher.keyLength());
        // Nonce base = salt || iv: 4 + 8 for AES-GCM (12 + 0 for ChaCha20 would read the same way).
        System.arraycopy(cryptoInfo, saltOffset, slab, base + NONCE_BASE_OFFSET, cipher.saltLength());
        System.arraycopy(cryptoInfo, ivOffset, slab, base + NONCE_BASE_OFFSET + cipher.saltLength(),
            cipher.ivLength());
        generations[slot]++;
        byId.put(contextId, slot);
        byFlow.put(flowHash, slot);
        return InstallResult.INSTALLED;
    }

    /**
     * Removes a context and zeroes its slot.
     *
     * @param contextId id.
     * @return false when no such context is installed.
     */
    public boolean remove(final int contextId)
    {
        int b = byId.start(contextId);
        int slot;
        while ((slot = byId.slotAt(b)) >= 0)
        {
            if (byId.hashAt(b) == contextId)
            {
                break;
            }
            b = byId.next(b);
        }
        if (slot < 0)
        {
            return false;
        }
        byId.removeAt(b);
        final int flowHash = flowHashOf(slot);
        int fb = byFlow.start(flowHash);
        while (byFlow.slotAt(fb) != slot)
        {
            fb = byFlow.next(fb);
        }
        byFlow.removeAt(fb);
        final int base = slot * SLOT_LENGTH;
        Arrays.fill(slab, base, base + SLOT_LENGTH, (byte)0);
        freeSlots[freeCount++] = slot;
        if (removalListener != null)
        {
            removalListener.accept(slot);
        }
        return true;
    }

    /**
     * @param contextId id.
     * @return its slot, or -1.
     */
    public int slotOf(final int contextId)
    {
        // The id index stores the id itself as the hash, so a hash match is an id match.
        for (int b = byId.start(contextId), slot; (slot = byId.slotAt(b)) >= 0; b = byId.next(b))
        {
            if (byId.hashAt(b) == contextId)
            {
                return slot;
            }
        }
        return -1;
    }

    /**
     * @param flow flow key and direction.
     * @return the slot of its context, or -1.
     */
    public int lookup(final FlowKey flow)
    {
        return lookup(flow, flow.hashCode());
    }

    private int lookup(final FlowKey flow, final int hash)
    {
        for (int b = byFlow.start(hash), slot; (slot = byFlow.slotAt(b)) >= 0; b = byFlow.next(b))
        {
            if (byFlow.hashAt(b) == hash && matches(slot, flow))
            {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Moves a context to a record boundary: the answer to an RX resync request, or a TX resync.
     *
     * @param slot slot.
     * @param tcpSeq TCP seq where record {@code recordNumber} starts.
     * @param recordNumber record number.
     */
    public void resync(final int slot, final int tcpSeq, final long recordNumber)
    {
        final int base = slot * SLOT_LENGTH;
        INT.set(slab, base + EXPECTED_TCP_SEQ_OFFSET, tcpSeq);
        LONG.set(slab, base + RECORD_NUMBER_OFFSET, recordNumber);
        INT.set(slab, base + RECORD_OFFSET_OFFSET, 0);
        INT.set(slab, base + RECORD_LENGTH_OFFSET, 0);
        slab[base + STATE_OFFSET] = (byte)TrackerState.TRACKING.ordinal();
        slab[base + FLAGS_OFFSET] &= ~FLAG_NEEDS_REBUILD;
        resyncListener.accept(slot);
    }

    /** @param slot slot. @return context id. */
    public int contextId(final int slot)
    {
        return (int)INT.get(slab, slot * SLOT_LENGTH + CONTEXT_ID_OFFSET);
    }

    /** @param slot slot. @return direction. */
    public Direction direction(final int slot)
    {
        return slab[slot * SLOT_LENGTH + DIRECTION_OFFSET] == 0 ? Direction.TX : Direction.RX;
    }

    /** @param slot slot. @return TLS version. */
    public TlsVersion version(final int slot)
    {
        final int base = slot * SLOT_LENGTH + TLS_VERSION_OFFSET;
        return (slab[base] & 0xFF) == 0x03 ? TlsVersion.TLS_1_2 : TlsVersion.TLS_1_3;
    }

    /** @param slot slot. @return cipher. */
    public TlsCipher cipher(final int slot)
    {
        return cipherOf(slab[slot * SLOT_LENGTH + CIPHER_ID_OFFSET] & 0xFF);
    }

    /** @param slot slot. @return tracker state. */
    public TrackerState state(final int slot)
    {
        return TrackerState.fromCode(slab[slot * SLOT_LENGTH + STATE_OFFSET]);
    }

    /** @param slot slot. @param state new tracker state. */
    public void setState(final int slot, final TrackerState state)
    {
        slab[slot * SLOT_LENGTH + STATE_OFFSET] = (byte)state.ordinal();
    }

    /** @param slot slot. @return flags (FLAG_*). */
    public int flags(final int slot)
    {
        return slab[slot * SLOT_LENGTH + FLAGS_OFFSET] & 0xFF;
    }

    /** @param slot slot whose cached cipher state was lost mid-record. */
    public void markNeedsRebuild(final int slot)
    {
        slab[slot * SLOT_LENGTH + FLAGS_OFFSET] |= FLAG_NEEDS_REBUILD;
    }

    /** @param slot slot. @return next TCP seq the context expects (u32 as int). */
    public int expectedTcpSeq(final int slot)
    {
        return (int)INT.get(slab, slot * SLOT_LENGTH + EXPECTED_TCP_SEQ_OFFSET);
    }

    /** @param slot slot. @param tcpSeq next expected TCP seq. */
    public void setExpectedTcpSeq(final int slot, final int tcpSeq)
    {
        INT.set(slab, slot * SLOT_LENGTH + EXPECTED_TCP_SEQ_OFFSET, tcpSeq);
    }

    /** @param slot slot. @return TCP seq given at install. */
    public int startTcpSeq(final int slot)
    {
        return (int)INT.get(slab, slot * SLOT_LENGTH + START_TCP_SEQ_OFFSET);
    }

    /** @param slot slot. @return number of the current record (unsigned). */
    public long recordNumber(final int slot)
    {
        return (long)LONG.get(slab, slot * SLOT_LENGTH + RECORD_NUMBER_OFFSET);
    }

    /** @param slot slot. @param recordNumber current record number. */
    public void setRecordNumber(final int slot, final long recordNumber)
    {
        LONG.set(slab, slot * SLOT_LENGTH + RECORD_NUMBER_OFFSET, recordNumber);
    }

    /** @param slot slot. @return bytes of the current record already processed (header included). */
    public int recordOffset(final int slot)
    {
        return (int)INT.get(slab, slot * SLOT_LENGTH + RECORD_OFFSET_OFFSET);
    }

    /** @param slot slot. @param offset bytes of the current record processed. */
    public void setRecordOffset(final int slot, final int offset)
    {
        INT.set(slab, slot * SLOT_LENGTH + RECORD_OFFSET_OFFSET, offset);
    }

    /** @param slot slot. @return length of the current record on the wire, 0 while its header is incomplete. */
    public int recordLength(final int slot)
    {
        return (int)INT.get(slab, slot * SLOT_LENGTH + RECORD_LENGTH_OFFSET);
    }

    /** @param slot slot. @param length current record's wire length. */
    public void setRecordLength(final int slot, final int length)
    {
        INT.set(slab, slot * SLOT_LENGTH + RECORD_LENGTH_OFFSET, length);
    }

    /**
     * @param slot slot.
     * @param dst receives the key.
     * @param dstOffset where.
     * @return key length (16 or 32).
     */
    public int copyKey(final int slot, final byte[] dst, final int dstOffset)
    {
        final int base = slot * SLOT_LENGTH;
        final int keyLength = slab[base + KEY_LENGTH_OFFSET];
        System.arraycopy(slab, base + KEY_OFFSET, dst, dstOffset, keyLength);
        return keyLength;
    }

    /** @param slot slot. @param dst receives salt || iv, 12 bytes. @param dstOffset where. */
    public void copyNonceBase(final int slot, final byte[] dst, final int dstOffset)
    {
        System.arraycopy(slab, slot * SLOT_LENGTH + NONCE_BASE_OFFSET, dst, dstOffset, NONCE_BASE_LENGTH);
    }

    /** @param slot slot. @param out receives the flow key. @return out. */
    public FlowKey flowKey(final int slot, final FlowKey out)
    {
        final int base = slot * SLOT_LENGTH;
        final int ports = (int)INT.get(slab, base + SRC_PORT_OFFSET);
        return out.set(direction(slot), slab[base + IP_VERSION_OFFSET],
            (long)BE_LONG.get(slab, base + SRC_ADDRESS_OFFSET), (long)BE_LONG.get(slab, base + SRC_ADDRESS_OFFSET + 8),
            (long)BE_LONG.get(slab, base + DST_ADDRESS_OFFSET), (long)BE_LONG.get(slab, base + DST_ADDRESS_OFFSET + 8),
            ports & 0xFFFF, ports >>> 16);
    }

    /** @param slot slot. @return its generation: changes on every install into it. */
    public int generation(final int slot)
    {
        return generations[slot];
    }

    /** @return installed contexts. */
    public int size()
    {
        return capacity - freeCount;
    }

    /** @return number of slots. */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return memory this table holds per context slot: slab, generation, free list and both indexes (hash and
     *         slot per bucket), in bytes (array headers excluded).
     */
    public int bytesPerContext()
    {
        final long bytes = (long)slab.length + 4L * generations.length + 4L * freeSlots.length +
            8L * byId.bucketCount() + 8L * byFlow.bucketCount();
        return (int)((bytes + capacity - 1) / capacity);
    }

    /** @return the slab itself, for tests that check keys are wiped. */
    byte[] slab()
    {
        return slab;
    }

    private boolean matches(final int slot, final FlowKey flow)
    {
        final int base = slot * SLOT_LENGTH;
        return slab[base + DIRECTION_OFFSET] == flow.direction().code() &&
            slab[base + IP_VERSION_OFFSET] == flow.ipVersion() &&
            (int)INT.get(slab, base + SRC_PORT_OFFSET) == (flow.srcPort() | flow.dstPort() << 16) &&
            (long)BE_LONG.get(slab, base + SRC_ADDRESS_OFFSET) == flow.srcHigh() &&
            (long)BE_LONG.get(slab, base + SRC_ADDRESS_OFFSET + 8) == flow.srcLow() &&
            (long)BE_LONG.get(slab, base + DST_ADDRESS_OFFSET) == flow.dstHigh() &&
            (long)BE_LONG.get(slab, base + DST_ADDRESS_OFFSET + 8) == flow.dstLow();
    }

    private int flowHashOf(final int slot)
    {
        return flowKey(slot, scratchKey).hashCode();
    }

    private static TlsCipher cipherOf(final int id)
    {
        for (final TlsCipher c : CIPHERS)
        {
            if (c.id() == id)
            {
                return c;
            }
        }
        return null;
    }
}
