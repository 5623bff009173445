package io.tlsnic.nic.flow;

import java.util.Arrays;

import io.tlsnic.nic.mem.Dma;
import io.tlsnic.nic.ring.CompletionProducer;
import io.tlsnic.nic.ring.ControlCommandFlyweight;
import io.tlsnic.nic.ring.ControlCompletionFlyweight;
import io.tlsnic.nic.ring.SubmissionConsumer;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The device's control-queue firmware, part of the device agent: takes commands from the control submission ring
 * in order, performs INSTALL (reading the key block by DMA), UPDATE_RESYNC and REMOVE on the
 * {@link FlowContextTable}, and posts one control completion per command.
 * <p>
 * Latency: like firmware that handles one command at a time, each command completes {@code latencyNs} of virtual
 * time after the device picked it up, and the next is picked up when the previous completes; so N commands posted
 * at once complete at t + latency, t + 2 latency, ... A wake-up event is scheduled for the due time so a
 * scheduler-driven run advances the clock to it. With latency 0 commands complete within the {@code doWork} that
 * sees them.
 * <p>
 * Back-pressure: a command is consumed only when its completion can be posted; with the completion queue full the
 * command waits in the ring. Bad input (unknown opcode or direction, a key block outside host memory, unknown
 * context) completes with BAD_COMMAND and is counted; nothing is thrown. The key block copy is wiped after use.
 */
public final class ControlQueueProcessor implements Agent
{
    private static final long NOT_PICKED = Long.MIN_VALUE;
    private static final Runnable WAKE_UP = () -> { };

    private final SubmissionConsumer commands;
    private final CompletionProducer completions;
    private final Dma dma;
    private final FlowContextTable table;
    private final NicCounterSet counters;
    private final EventScheduler scheduler;
    private final long latencyNs;
    private final int batchLimit;

    private final byte[] keyBlock = new byte[KeyBlockFlyweight.MAX_LENGTH];
    private final BytesStore<?, byte[]> keyBlockStore = BytesStore.wrap(keyBlock);
    private final FlowKey flowKey = new FlowKey();
    private long pickedUpNs = NOT_PICKED;

    /**
     * @param commands device side of the control submission ring.
     * @param completions device side of the control completion ring.
     * @param dma DMA port for key blocks.
     * @param table the context table.
     * @param counters device counters.
     * @param scheduler virtual clock and wake-ups.
     * @param latencyNs processing time per command, not negative.
     * @param batchLimit most commands completed per {@link #doWork()}, at least 1.
     */
    public ControlQueueProcessor(
        final SubmissionConsumer commands, final CompletionProducer completions, final Dma dma,
        final FlowContextTable table, final NicCounterSet counters, final EventScheduler scheduler,
        final long latencyNs, final int batchLimit)
    {
        if (latencyNs < 0 || batchLimit < 1)
        {
            throw new IllegalArgumentException("latency " + latencyNs + " ns / batch " + batchLimit + " invalid");
        }
        this.commands = commands;
        this.completions = completions;
        this.dma = dma;
        this.table = table;
        this.counters = counters;
        this.scheduler = scheduler;
        this.latencyNs = latencyNs;
        this.batchLimit = batchLimit;
    }

    @Override
    public int doWork()
    {
        if (commands.peek() < 0)
        {
            return 0; // the common case, every poll: no command, nothing to time
        }
        final long nowNs = scheduler.nowNs();
        int done = 0;
        while (done < batchLimit)
        {
            final long command = commands.peek();
            if (command < 0)
            {
                break;
            }
            if (latencyNs > 0)
            {
                if (pickedUpNs == NOT_PICKED)
                {
                    pickedUpNs = nowNs;
                    scheduler.schedule(latencyNs, WAKE_UP);
                }
                if (nowNs - pickedUpNs < latencyNs)
                {
                    break;
                }
            }
            final long completion = completions.claim();
            if (completion < 0)
            {
                break;
            }
            final BytesStore<?, ?> s = commands.ring().store();
            final int opcode = ControlCommandFlyweight.opcode(s, command);
            final int contextId = ControlCommandFlyweight.contextId(s, command);
            final int status = execute(s, command, opcode, contextId);
            ControlCompletionFlyweight.writeBody(
                completions.ring().store(), completion, (int)commands.nextSequence(), contextId, opcode, status);
            completions.publish();
            commands.advance();
            counters.increment(NicCounters.CTRL_COMMANDS);
            if (status == ControlCompletionFlyweight.STATUS_BAD_COMMAND)
            {
                counters.increment(NicCounters.CTRL_BAD_COMMAND);
            }
            pickedUpNs = NOT_PICKED;
            done++;
            if (latencyNs > 0)
            {
                // The next command is picked up now and needs its own latency: at most one per cycle.
                if (commands.peek() >= 0)
                {
                    pickedUpNs = nowNs;
                    scheduler.schedule(latencyNs, WAKE_UP);
                }
                break;
            }
        }
        if (done > 0)
        {
            commands.commitHead();
        }
        return done;
    }

    @Override
    public String roleName()
    {
        return "nic-control-queue";
    }

    private int execute(final BytesStore<?, ?> s, final long command, final int opcode, final int contextId)
    {
        final Direction direction = Direction.fromCode(ControlCommandFlyweight.direction(s, command));
        if (direction == null)
        {
            return ControlCompletionFlyweight.STATUS_BAD_COMMAND;
        }
        switch (opcode)
        {
            case ControlCommandFlyweight.OP_INSTALL:
                return install(s, command, direction, contextId);
            case ControlCommandFlyweight.OP_UPDATE_RESYNC:
            {
                final int slot = table.slotOf(contextId);
                if (slot < 0 || table.direction(slot) != direction)
                {
                    return ControlCompletionFlyweight.STATUS_BAD_COMMAND;
                }
                // The table's resync listener (the device) decides whether the answer is taken (res_ok) or not.
                table.resync(slot, ControlCommandFlyweight.tcpSeq(s, command),
                    ControlCommandFlyweight.recordNumber(s, command));
                return ControlCompletionFlyweight.STATUS_OK;
            }
            case ControlCommandFlyweight.OP_REMOVE:
            {
                final int slot = table.slotOf(contextId);
                if (slot < 0 || table.direction(slot) != direction)
                {
                    return ControlCompletionFlyweight.STATUS_BAD_COMMAND;
                }
                table.remove(contextId);
                counters.increment(direction == Direction.RX ? NicCounters.RX_TLS_DEL : NicCounters.TX_TLS_DEL);
                return ControlCompletionFlyweight.STATUS_OK;
            }
            case ControlCommandFlyweight.OP_DUMP_PREFIX:
                // Recognised; the TX rebuild arrives with the data path.
                return ControlCompletionFlyweight.STATUS_UNSUPPORTED;
            default:
                return ControlCompletionFlyweight.STATUS_BAD_COMMAND;
        }
    }

    private int install(final BytesStore<?, ?> s, final long command, final Direction direction, final int contextId)
    {
        final int length = ControlCommandFlyweight.keyBlockLength(s, command);
        if (length <= KeyBlockFlyweight.CRYPTO_INFO_OFFSET || length > KeyBlockFlyweight.MAX_LENGTH ||
            !dma.read(ControlCommandFlyweight.keyBlockAddress(s, command), keyBlock, 0, length))
        {
            return ControlCompletionFlyweight.STATUS_BAD_COMMAND;
        }
        try
        {
            if (!KeyBlockFlyweight.readFlowKey(keyBlockStore, 0, direction, flowKey))
            {
                return ControlCompletionFlyweight.STATUS_BAD_COMMAND;
            }
            final InstallResult result = table.install(contextId, flowKey, keyBlock,
                KeyBlockFlyweight.CRYPTO_INFO_OFFSET, length - KeyBlockFlyweight.CRYPTO_INFO_OFFSET,
                ControlCommandFlyweight.tcpSeq(s, command));
            switch (result)
            {
                case INSTALLED:
                    counters.increment(direction == Direction.RX ? NicCounters.RX_TLS_CTX : NicCounters.TX_TLS_CTX);
                    return ControlCompletionFlyweight.STATUS_OK;
                case TABLE_FULL:
                    counters.increment(NicCounters.CTX_TABLE_FULL);
                    return ControlCompletionFlyweight.STATUS_TABLE_FULL;
                case UNSUPPORTED:
                    counters.increment(NicCounters.CTX_UNSUPPORTED);
                    return ControlCompletionFlyweight.STATUS_UNSUPPORTED;
                default:
                    return ControlCompletionFlyweight.STATUS_BAD_COMMAND;
            }
        }
        finally
        {
            Arrays.fill(keyBlock, 0, length, (byte)0);
        }
    }
}
