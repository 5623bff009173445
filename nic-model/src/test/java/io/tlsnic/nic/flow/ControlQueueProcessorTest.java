package io.tlsnic.nic.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tlsnic.nic.mem.Dma;
import io.tlsnic.nic.mem.DmaWindow;
import io.tlsnic.nic.mem.HostMemory;
import io.tlsnic.nic.reg.NicRegisters;
import io.tlsnic.nic.reg.RegisterFile;
import io.tlsnic.nic.ring.CompletionConsumer;
import io.tlsnic.nic.ring.CompletionProducer;
import io.tlsnic.nic.ring.ControlCommandFlyweight;
import io.tlsnic.nic.ring.ControlCompletionFlyweight;
import io.tlsnic.nic.ring.InterruptModerator;
import io.tlsnic.nic.ring.Ring;
import io.tlsnic.nic.ring.SubmissionConsumer;
import io.tlsnic.nic.ring.SubmissionProducer;
import io.tlsnic.nic.stats.NicCounterSet;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.sim.Agent;
import io.tlsnic.wire.sim.EventScheduler;
import io.tlsnic.wire.sim.VirtualClock;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;
import io.tlsnic.wire.util.Hex;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The control queue end to end: the driver programs the queue through registers, writes key blocks and commands
 * into host memory and rings the doorbell; the device maps the rings by DMA, runs the commands on the flow table and
 * posts completions the driver reaps by phase bit.
 */
class ControlQueueProcessorTest
{
    private final VirtualClock clock = new VirtualClock();
    private final EventScheduler scheduler = new EventScheduler(clock);
    private final NicCounterSet counters = new NicCounterSet();
    private final HostMemory memory = new HostMemory();
    private final Dma dma = new Dma(memory, counters);
    private final NicRegisters registers = new NicRegisters(1, DeviceCapabilities.defaults(), 2, counters,
        new ToeplitzHash(), new RssIndirectionTable(1), new InterruptModerator[1]);
    private final FlowContextTable table = new FlowContextTable(2, DeviceCapabilities.defaults());

    private SubmissionProducer driverCommands;
    private CompletionConsumer driverCompletions;
    private ControlQueueProcessor device;

    @AfterEach
    void releaseMemory()
    {
        memory.close();
        assertEquals(0, memory.liveRegions());
    }

    @Test
    void shouldLayOutKeyBlockAsFlowKeyThenCryptoInfo()
    {
        final long iova = memory.allocate(KeyBlockFlyweight.MAX_LENGTH);
        final BytesStore<?, ?> s = memory.storeOf(iova);
        final FlowKey flow = new FlowKey().setIpv4(Direction.RX, 0x4209_95bb, 0xa18e_6450, 2794, 1766);
        KeyBlockFlyweight.writeFlowKey(s, 0, flow);
        final byte[] head = new byte[KeyBlockFlyweight.CRYPTO_INFO_OFFSET];
        s.read(0, head, 0, head.length);
        assertArrayEquals(Hex.decode(
            "04 00 ea 0a e6 06 00 00" +
            "42 09 95 bb 00 00 00 00 00 00 00 00 00 00 00 00" +
            "a1 8e 64 50 00 00 00 00 00 00 00 00 00 00 00 00"), head);
        assertTrue(KeyBlockFlyweight.readFlowKey(s, 0, Direction.RX, new FlowKey()));
        assertEquals(flow, readBack(s));
        final FlowKey v6 = new FlowKey().setIpv6(Direction.TX, 0x3ffe_2501_0200_1fffL, 7, 0xff02L << 48, 1, 1, 2);
        KeyBlockFlyweight.writeFlowKey(s, 0, v6);
        assertEquals(0x3f, s.readUnsignedByte(KeyBlockFlyweight.SRC_ADDRESS_OFFSET), "network order");
        assertEquals(v6, new FlowKey().copyFrom(readBackAs(s, Direction.TX)));
    }

    @Test
    void shouldInstallResyncAndRemoveThroughTheQueue()
    {
        start(8, 8, 0, 16);
        final FlowKey flow = TestContexts.ipv4(Direction.RX, 1);
        final CryptoInfo info = TestContexts.cryptoInfo(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 1, 1);
        final long keyBlock = keyBlock(flow, info);
        post(ControlCommandFlyweight.OP_INSTALL, Direction.RX, 7, keyBlock, 80, 1000, 0);
        assertEquals(1, device.doWork());
        assertEquals(List.of("0:7:1:0"), reap());
        final int slot = table.lookup(flow);
        assertEquals(7, table.contextId(slot));
        assertEquals(1000, table.expectedTcpSeq(slot));
        assertEquals(1, table.recordNumber(slot), "record number from crypto_info rec_seq");

        final long[] resynced = new long[2];
        table.setResyncListener(sl -> { resynced[0] = table.expectedTcpSeq(sl); resynced[1] = table.recordNumber(sl); });
        post(ControlCommandFlyweight.OP_UPDATE_RESYNC, Direction.RX, 7, 0, 0, 5000, 42);
        post(ControlCommandFlyweight.OP_REMOVE, Direction.RX, 7, 0, 0, 0, 0);
        assertEquals(2, device.doWork());
        assertEquals(List.of("1:7:2:0", "2:7:3:0"), reap());
        assertEquals(-1, table.lookup(flow));
        assertEquals(1, counters.get(NicCounters.RX_TLS_CTX));
        assertEquals(5000, resynced[0], "resync reached the slot");
        assertEquals(42, resynced[1]);
        assertEquals(1, counters.get(NicCounters.RX_TLS_DEL));
        assertEquals(3, registers.file().read(NicRegisters.CTRL_SQ_HEAD), "device head register");
    }

    @Test
    void shouldCompleteEveryFailureWithItsStatusAndKeepGoing()
    {
        start(16, 16, 0, 16);
        final CryptoInfo info = TestContexts.cryptoInfo(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, 2, 0);
        post(ControlCommandFlyweight.OP_INSTALL, Direction.TX, 1, keyBlock(TestContexts.ipv4(Direction.TX, 1), info),
            96, 0, 0);
        post(ControlCommandFlyweight.OP_INSTALL, Direction.TX, 2, keyBlock(TestContexts.ipv4(Direction.TX, 2), info),
            96, 0, 0);
        post(ControlCommandFlyweight.OP_INSTALL, Direction.TX, 3, keyBlock(TestContexts.ipv4(Direction.TX, 3), info),
            96, 0, 0);
        final CryptoInfo chacha = TestContexts.cryptoInfo(TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, 3, 0);
        post(ControlCommandFlyweight.OP_REMOVE, Direction.TX, 2, 0, 0, 0, 0);
        post(ControlCommandFlyweight.OP_INSTALL, Direction.RX, 4, keyBlock(TestContexts.ipv4(Direction.RX, 4), chacha),
            96, 0, 0);
        post(ControlCommandFlyweight.OP_INSTALL, Direction.RX, 5, 0x7777_0000_0000L, 80, 0, 0);
        post(ControlCommandFlyweight.OP_INSTALL, Direction.RX, 5, keyBlock(TestContexts.ipv4(Direction.RX, 5), info),
            12, 0, 0);
        post(ControlCommandFlyweight.OP_REMOVE, Direction.TX, 99, 0, 0, 0, 0);
        post(ControlCommandFlyweight.OP_REMOVE, Direction.RX, 1, 0, 0, 0, 0);
        post(0x55, Direction.TX, 1, 0, 0, 0, 0);
        post(ControlCommandFlyweight.OP_UPDATE_RESYNC, 2, 1, 0, 0, 0, 0);
        post(ControlCommandFlyweight.OP_DUMP_PREFIX, Direction.TX, 1, 0, 0, 0, 0);
        assertEquals(12, device.doWork());
        assertEquals(List.of(
            "0:1:1:0",      // installed
            "1:2:1:0",      // installed
            "2:3:1:1",      // TABLE_FULL (capacity 2)
            "3:2:3:0",      // removed
            "4:4:1:2",      // ChaCha20 not offloaded: UNSUPPORTED
            "5:5:1:3",      // key block outside host memory: BAD_COMMAND
            "6:5:1:3",      // key block too short: BAD_COMMAND
            "7:99:3:3",     // unknown context
            "8:1:3:3",      // direction does not match the context
            "9:1:85:3",     // unknown opcode
            "10:1:2:3",     // unknown direction
            "11:1:4:2"),    // DUMP_PREFIX: not yet
            reap());
        assertEquals(1, counters.get(NicCounters.CTX_TABLE_FULL));
        assertEquals(1, counters.get(NicCounters.CTX_UNSUPPORTED));
        assertEquals(1, counters.get(NicCounters.DMA_ERRORS));
        assertEquals(6, counters.get(NicCounters.CTRL_BAD_COMMAND));
        assertEquals(12, counters.get(NicCounters.CTRL_COMMANDS));
        assertEquals(2, counters.get(NicCounters.TX_TLS_CTX));
        assertEquals(1, counters.get(NicCounters.TX_TLS_DEL));
        assertEquals(1, table.size());
    }

    @Test
    void shouldCompleteCommandsOneLatencyApartInVirtualTime()
    {
        start(8, 8, 1_000, 16);
        for (int i = 0; i < 3; i++)
        {
            post(ControlCommandFlyweight.OP_REMOVE, Direction.TX, i, 0, 0, 0, 0);
        }
        final List<Long> completedAtNs = new ArrayList<>();
        final Agent driver = new Agent()
        {
            @Override
            public int doWork()
            {
                final List<String> got = reap();
                got.forEach(c -> completedAtNs.add(clock.nanoTime()));
                return got.size();
            }

            @Override
            public String roleName()
            {
                return "test-driver";
            }
        };
        assertEquals(0, device.doWork(), "nothing completes at once");
        assertTrue(scheduler.runAgents(new Agent[] {device, driver}, 1_000_000, () -> completedAtNs.size() == 3));
        assertEquals(List.of(1_000L, 2_000L, 3_000L), completedAtNs);
    }

    @Test
    void shouldWaitForCompletionSpaceAndLoseNoCommand()
    {
        start(8, 2, 0, 16);
        for (int i = 0; i < 7; i++)
        {
            post(ControlCommandFlyweight.OP_REMOVE, Direction.TX, i, 0, 0, 0, 0);
        }
        assertEquals(2, device.doWork(), "completion queue of 2 is full");
        assertEquals(0, device.doWork());
        assertEquals(List.of("0:0:3:3", "1:1:3:3"), reap());
        assertEquals(2, device.doWork());
        assertEquals(2, reap().size());
        assertEquals(2, device.doWork());
        assertEquals(2, reap().size());
        assertEquals(1, device.doWork());
        assertEquals(List.of("6:6:3:3"), reap());
        assertEquals(7, counters.get(NicCounters.CTRL_COMMANDS));
    }

    @Test
    void shouldBoundTheBatchPerDutyCycle()
    {
        start(16, 16, 0, 4);
        for (int i = 0; i < 10; i++)
        {
            post(ControlCommandFlyweight.OP_REMOVE, Direction.TX, i, 0, 0, 0, 0);
        }
        assertEquals(4, device.doWork());
        assertEquals(4, device.doWork());
        assertEquals(2, device.doWork());
        assertEquals(0, device.doWork());
        assertEquals(10, reap().size());
    }

    /** Programs the control queue registers and builds both sides, the device side mapped by DMA. */
    private void start(final int sqSize, final int cqSize, final long latencyNs, final int batch)
    {
        final RegisterFile file = registers.file();
        final long sq = memory.allocate(sqSize * ControlCommandFlyweight.LENGTH);
        final long cq = memory.allocate(cqSize * ControlCompletionFlyweight.LENGTH);
        assertTrue(file.write(NicRegisters.CTRL_SQ_BASE, sq));
        assertTrue(file.write(NicRegisters.CTRL_SQ_SIZE, sqSize));
        assertTrue(file.write(NicRegisters.CTRL_CQ_BASE, cq));
        assertTrue(file.write(NicRegisters.CTRL_CQ_SIZE, cqSize));

        driverCommands = new SubmissionProducer(
            new Ring(memory.storeOf(sq), memory.offsetOf(sq), sqSize, ControlCommandFlyweight.LENGTH),
            registers.hostIndex(NicRegisters.CTRL_SQ_TAIL), registers.hostIndex(NicRegisters.CTRL_SQ_HEAD));
        driverCompletions = new CompletionConsumer(
            new Ring(memory.storeOf(cq), memory.offsetOf(cq), cqSize, ControlCompletionFlyweight.LENGTH),
            ControlCompletionFlyweight.OWNER_OFFSET, registers.hostIndex(NicRegisters.CTRL_CQ_HEAD));

        final DmaWindow sqWindow = new DmaWindow();
        final DmaWindow cqWindow = new DmaWindow();
        final int deviceSqSize = (int)file.get(NicRegisters.CTRL_SQ_SIZE);
        final int deviceCqSize = (int)file.get(NicRegisters.CTRL_CQ_SIZE);
        assertTrue(dma.map(file.get(NicRegisters.CTRL_SQ_BASE), deviceSqSize * ControlCommandFlyweight.LENGTH,
            sqWindow));
        assertTrue(dma.map(file.get(NicRegisters.CTRL_CQ_BASE), deviceCqSize * ControlCompletionFlyweight.LENGTH,
            cqWindow));
        device = new ControlQueueProcessor(
            new SubmissionConsumer(
                new Ring(sqWindow.store(), sqWindow.offset(), deviceSqSize, ControlCommandFlyweight.LENGTH),
                registers.deviceIndex(NicRegisters.CTRL_SQ_TAIL), registers.deviceIndex(NicRegisters.CTRL_SQ_HEAD)),
            new CompletionProducer(
                new Ring(cqWindow.store(), cqWindow.offset(), deviceCqSize, ControlCompletionFlyweight.LENGTH),
                ControlCompletionFlyweight.OWNER_OFFSET, registers.deviceIndex(NicRegisters.CTRL_CQ_HEAD),
                registers.deviceIndex(NicRegisters.CTRL_CQ_TAIL)),
            dma, table, counters, scheduler, latencyNs, batch);
    }

    private long keyBlock(final FlowKey flow, final CryptoInfo info)
    {
        final long iova = memory.allocate(KeyBlockFlyweight.MAX_LENGTH);
        final BytesStore<?, ?> s = memory.storeOf(iova);
        KeyBlockFlyweight.writeFlowKey(s, 0, flow);
        info.write(s, KeyBlockFlyweight.CRYPTO_INFO_OFFSET);
        return iova;
    }

    private void post(
        final int opcode, final Object direction, final int contextId, final long keyBlock, final int keyBlockLength,
        final int tcpSeq, final long recordNumber)
    {
        final long offset = driverCommands.claim();
        assertTrue(offset >= 0, "command ring full");
        final int code = direction instanceof Direction ? ((Direction)direction).code() : (Integer)direction;
        ControlCommandFlyweight.write(driverCommands.ring().store(), offset, opcode, code, contextId, keyBlock,
            keyBlockLength, tcpSeq, recordNumber);
        driverCommands.publish();
    }

    /** @return completions as "commandIndex:contextId:opcode:status". */
    private List<String> reap()
    {
        final List<String> out = new ArrayList<>();
        final BytesStore<?, ?> s = driverCompletions.ring().store();
        long entry;
        while ((entry = driverCompletions.peek()) >= 0)
        {
            out.add(ControlCompletionFlyweight.commandIndex(s, entry) + ":" +
                ControlCompletionFlyweight.contextId(s, entry) + ":" + ControlCompletionFlyweight.opcode(s, entry) +
                ":" + ControlCompletionFlyweight.status(s, entry));
            driverCompletions.advance();
        }
        driverCompletions.commitHead();
        return out;
    }

    private static FlowKey readBack(final BytesStore<?, ?> s)
    {
        return readBackAs(s, Direction.RX);
    }

    private static FlowKey readBackAs(final BytesStore<?, ?> s, final Direction direction)
    {
        final FlowKey k = new FlowKey();
        assertTrue(KeyBlockFlyweight.readFlowKey(s, 0, direction, k));
        return k;
    }
}
