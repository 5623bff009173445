package io.tlsnic.nic.reg;

import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.flow.RssIndirectionTable;
import io.tlsnic.nic.flow.ToeplitzHash;
import io.tlsnic.nic.reg.RegisterFile.Access;
import io.tlsnic.nic.ring.InterruptModerator;
import io.tlsnic.nic.ring.Ring;
import io.tlsnic.nic.ring.RingIndex;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;

/**
 * The register map of the tlsnic device (all registers 64-bit, offsets in bytes):
 *
 * <pre>
 *  global                                        per queue q, at QUEUE_BASE + q * QUEUE_STRIDE
 *  0x0000 DEVICE_ID          RO                  +0x00 TX_BASE       RW  ring DMA address
 *  0x0008 STATUS             RO  bit 0 up        +0x08 TX_SIZE       RW  entries, power of two
 *  0x0010 CAPABILITIES       RO  version x cipher +0x10 TX_TAIL      RW  doorbell (producer index)
 *  0x0018 QUEUE_COUNT        RO                  +0x18 TX_HEAD       RO  device consumer index
 *  0x0020 CTX_CAPACITY       RO                  +0x20 RX_BASE .. +0x38 RX_HEAD   (same four)
 *  0x0040 CTRL_SQ_BASE       RW                  +0x40 CQ_BASE       RW
 *  0x0048 CTRL_SQ_SIZE       RW                  +0x48 CQ_SIZE       RW
 *  0x0050 CTRL_SQ_TAIL       RW  doorbell        +0x50 CQ_HEAD       RW  driver consumer index
 *  0x0058 CTRL_SQ_HEAD       RO                  +0x58 CQ_TAIL       RO  device producer index
 *  0x0060 CTRL_CQ_BASE       RW                  +0x60 ITR_TIMER_NS  RW  0 .. 1 s; 0 = no moderation
 *  0x0068 CTRL_CQ_SIZE       RW                  +0x68 ITR_PACKETS   RW  0 .. 65535
 *  0x0070 CTRL_CQ_HEAD       RW
 *  0x0078 CTRL_CQ_TAIL       RO
 *  0x0080 RSS_KEY[5]         RW  40 key bytes, byte i at bits 8*(i%8) of register i/8
 *  0x0100 RETA[16]           RW  128 one-byte entries, entry i at bits 8*(i%8) of register i/8
 *  0x0200 COUNTER[n]         RO  NicCounters by id
 * </pre>
 *
 * Write validation (refused writes count {@code reg_write_illegal}): a size must be a power of two in
 * [{@link Ring#MIN_CAPACITY}, {@link Ring#MAX_CAPACITY}]; a tail doorbell may only move forward and never more than
 * the ring size beyond the device's head (that would overwrite unconsumed entries); a CQ head may only move forward
 * and never past the device's CQ tail; a RETA entry must name an existing queue. ITR and RSS writes are pushed to
 * the {@link InterruptModerator}s and the RSS objects, as qemu's handlers update the core state. Handlers run on
 * the thread that performs the MMIO write; in threaded mode, program RSS and moderation while the queues are idle,
 * as drivers do at bring-up (the doorbells are the only registers meant to be written while the device runs).
 */
public final class NicRegisters
{
    /** "tlsnic" in ASCII. */
    public static final long DEVICE_ID_VALUE = 0x746c_736e_6963L;

    public static final int DEVICE_ID = 0x0000;
    public static final int STATUS = 0x0008;
    public static final int CAPABILITIES = 0x0010;
    public static final int QUEUE_COUNT = 0x0018;
    public static final int CTX_CAPACITY = 0x0020;
    public static final int CTRL_SQ_BASE = 0x0040;
    public static final int CTRL_SQ_SIZE = 0x0048;
    public static final int CTRL_SQ_TAIL = 0x0050;
    public static final int CTRL_SQ_HEAD = 0x0058;
    public static final int CTRL_CQ_BASE = 0x0060;
    public static final int CTRL_CQ_SIZE = 0x0068;
    public static final int CTRL_CQ_HEAD = 0x0070;
    public static final int CTRL_CQ_TAIL = 0x0078;
    public static final int RSS_KEY = 0x0080;
    public static final int RSS_KEY_REGISTERS = ToeplitzHash.KEY_LENGTH / RegisterFile.REGISTER_LENGTH;
    public static final int RETA = 0x0100;
    public static final int RETA_REGISTERS = RssIndirectionTable.SIZE / RegisterFile.REGISTER_LENGTH;
    public static final int COUNTERS = 0x0200;
    public static final int QUEUE_BASE = 0x1000;
    public static final int QUEUE_STRIDE = 0x100;

    public static final int TX_BASE = 0x00;
    public static final int TX_SIZE = 0x08;
    public static final int TX_TAIL = 0x10;
    public static final int TX_HEAD = 0x18;
    public static final int RX_BASE = 0x20;
    public static final int RX_SIZE = 0x28;
    public static final int RX_TAIL = 0x30;
    public static final int RX_HEAD = 0x38;
    public static final int CQ_BASE = 0x40;
    public static final int CQ_SIZE = 0x48;
    public static final int CQ_HEAD = 0x50;
    public static final int CQ_TAIL = 0x58;
    public static final int ITR_TIMER_NS = 0x60;
    public static final int ITR_PACKETS = 0x68;

    /** Longest moderation timer: one second. */
    public static final long MAX_ITR_TIMER_NS = 1_000_000_000L;
    /** Largest moderation packet threshold. */
    public static final int MAX_ITR_PACKETS = 0xFFFF;

    private final RegisterFile file;
    private final int queueCount;
    private final byte[] rssKey = ToeplitzHash.MICROSOFT_DEFAULT_KEY.clone();

    /**
     * @param queueCount number of queue triples (TX, RX, CQ), 1 to 256.
     * @param capabilities offloaded version x cipher pairs.
     * @param contextCapacity context table slots.
     * @param counters device counters (also read through the counter window).
     * @param rssHash hash to rekey on RSS_KEY writes.
     * @param reta indirection table to update on RETA writes.
     * @param moderators per queue, configured by ITR writes ({@code null} entries allowed).
     */
    public NicRegisters(
        final int queueCount, final DeviceCapabilities capabilities, final int contextCapacity,
        final NicCounterSet counters, final ToeplitzHash rssHash, final RssIndirectionTable reta,
        final InterruptModerator[] moderators)
    {
        if (queueCount < 1 || queueCount > 256 || moderators.length != queueCount)
        {
            throw new IllegalArgumentException("queue count " + queueCount + " / moderators " + moderators.length);
        }
        this.queueCount = queueCount;
        file = new RegisterFile(queue(queueCount, 0), counters);
        file.define(DEVICE_ID, "DEVICE_ID", Access.READ_ONLY, DEVICE_ID_VALUE, null, null);
        file.define(STATUS, "STATUS", Access.READ_ONLY, 1, null, null);
        file.define(CAPABILITIES, "CAPABILITIES", Access.READ_ONLY, capabilities.bits(), null, null);
        file.define(QUEUE_COUNT, "QUEUE_COUNT", Access.READ_ONLY, queueCount, null, null);
        file.define(CTX_CAPACITY, "CTX_CAPACITY", Access.READ_ONLY, contextCapacity, null, null);
        defineRing("CTRL_SQ", CTRL_SQ_BASE, CTRL_SQ_SIZE, CTRL_SQ_TAIL, CTRL_SQ_HEAD);
        defineCompletionRing("CTRL_CQ", CTRL_CQ_BASE, CTRL_CQ_SIZE, CTRL_CQ_HEAD, CTRL_CQ_TAIL);

        for (int r = 0; r < RSS_KEY_REGISTERS; r++)
        {
            long value = 0;
            for (int b = 7; b >= 0; b--)
            {
                value = value << 8 | (rssKey[r * 8 + b] & 0xFF);
            }
            final int first = r * 8;
            file.define(RSS_KEY + r * 8, "RSS_KEY" + r, Access.READ_WRITE, value, (offset, old, v) ->
            {
                for (int b = 0; b < 8; b++)
                {
                    rssKey[first + b] = (byte)(v >>> (8 * b));
                }
                rssHash.setKey(rssKey);
                return true;
            }, null);
        }
        for (int r = 0; r < RETA_REGISTERS; r++)
        {
            long value = 0;
            for (int b = 7; b >= 0; b--)
            {
                value = value << 8 | reta.get(r * 8 + b);
            }
            final int first = r * 8;
            file.define(RETA + r * 8, "RETA" + r, Access.READ_WRITE, value, (offset, old, v) ->
            {
                for (int b = 0; b < 8; b++)
                {
                    if (((v >>> (8 * b)) & 0xFF) >= queueCount)
                    {
                        return false;
                    }
                }
                for (int b = 0; b < 8; b++)
                {
                    reta.set(first + b, (int)(v >>> (8 * b)) & 0xFF);
                }
                return true;
            }, null);
        }
        for (final NicCounters c : NicCounters.values())
        {
            file.define(COUNTERS + c.id() * 8, "COUNTER_" + c.label(), Access.READ_ONLY, 0, null,
                offset -> counters.get(c));
        }
        for (int q = 0; q < queueCount; q++)
        {
            defineRing("TX" + q + "_", queue(q, TX_BASE), queue(q, TX_SIZE), queue(q, TX_TAIL), queue(q, TX_HEAD));
            defineRing("RX" + q + "_", queue(q, RX_BASE), queue(q, RX_SIZE), queue(q, RX_TAIL), queue(q, RX_HEAD));
            defineCompletionRing("CQ" + q + "_", queue(q, CQ_BASE), queue(q, CQ_SIZE), queue(q, CQ_HEAD),
                queue(q, CQ_TAIL));
            final InterruptModerator m = moderators[q];
            file.define(queue(q, ITR_TIMER_NS), "ITR" + q + "_TIMER_NS", Access.READ_WRITE, 0, (offset, old, v) ->
            {
                if (v < 0 || v > MAX_ITR_TIMER_NS)
                {
                    return false;
                }
                if (m != null)
                {
                    m.setTimerNs(v);
                }
                return true;
            }, null);
            file.define(queue(q, ITR_PACKETS), "ITR" + q + "_PACKETS", Access.READ_WRITE, 1, (offset, old, v) ->
            {
                if (v < 0 || v > MAX_ITR_PACKETS)
                {
                    return false;
                }
                if (m != null)
                {
                    m.setPacketThreshold((int)v);
                }
                return true;
            }, null);
        }
    }

    /**
     * @param q queue.
     * @param register per-queue register offset (TX_BASE ... ITR_PACKETS).
     * @return its absolute offset.
     */
    public static int queue(final int q, final int register)
    {
        return QUEUE_BASE + q * QUEUE_STRIDE + register;
    }

    /** @return the register file (host MMIO and device access). */
    public RegisterFile file()
    {
        return file;
    }

    /** @return number of queues. */
    public int queueCount()
    {
        return queueCount;
    }

    /** @param offset a tail or head register. @return the host's MMIO view of it. */
    public RingIndex hostIndex(final int offset)
    {
        return file.hostIndex(offset);
    }

    /** @param offset a tail or head register. @return the device's view of it. */
    public RingIndex deviceIndex(final int offset)
    {
        return file.deviceIndex(offset);
    }

    private void defineRing(final String prefix, final int base, final int size, final int tail, final int head)
    {
        file.define(base, prefix + "BASE", Access.READ_WRITE, 0, null, null);
        file.define(size, prefix + "SIZE", Access.READ_WRITE, 0, (offset, old, v) -> Ring.isValidCapacity(v), null);
        file.define(head, prefix + "HEAD", Access.READ_ONLY, 0, null, null);
        // The doorbell is written on every post: its check reads head and size through views resolved once.
        final RingIndex headValue = file.deviceIndex(head);
        final RingIndex sizeValue = file.deviceIndex(size);
        file.define(tail, prefix + "TAIL", Access.READ_WRITE, 0,
            (offset, old, v) -> v >= old && v - headValue.get() <= sizeValue.get(), null);
    }

    private void defineCompletionRing(
        final String prefix, final int base, final int size, final int head, final int tail)
    {
        file.define(base, prefix + "BASE", Access.READ_WRITE, 0, null, null);
        file.define(size, prefix + "SIZE", Access.READ_WRITE, 0, (offset, old, v) -> Ring.isValidCapacity(v), null);
        file.define(tail, prefix + "TAIL", Access.READ_ONLY, 0, null, null);
        final RingIndex tailValue = file.deviceIndex(tail);
        file.define(head, prefix + "HEAD", Access.READ_WRITE, 0, (offset, old, v) -> v >= old && v <= tailValue.get(),
            null);
    }
}
