package io.tlsnic.nic.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

class FlowContextTableTest
{
    private final FlowContextTable table = new FlowContextTable(4, DeviceCapabilities.defaults());

    @Test
    void shouldStoreEveryFieldOfAnInstalledContext()
    {
        final CryptoInfo info = TestContexts.cryptoInfo(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 9, 0x0102030405L);
        final byte[] bytes = info.toBytes();
        final FlowKey flow = new FlowKey().setIpv6(Direction.RX, 0x3ffe_2501_0200_1fffL, 7, 0x3ffe_2501_0200_0003L, 1,
            2794, 1766);
        assertEquals(InstallResult.INSTALLED, table.install(77, flow, bytes, 0, bytes.length, 0xFFFF_FF00));
        final int slot = table.slotOf(77);
        assertEquals(0, slot);
        assertEquals(slot, table.lookup(new FlowKey().copyFrom(flow)));
        assertEquals(77, table.contextId(slot));
        assertEquals(Direction.RX, table.direction(slot));
        assertEquals(TlsVersion.TLS_1_2, table.version(slot));
        assertEquals(TlsCipher.AES_GCM_256, table.cipher(slot));
        assertEquals(TrackerState.START, table.state(slot));
        assertEquals(0xFFFF_FF00, table.expectedTcpSeq(slot));
        assertEquals(0xFFFF_FF00, table.startTcpSeq(slot));
        assertEquals(0x0102030405L, table.recordNumber(slot));
        assertEquals(0, table.recordOffset(slot));
        final byte[] key = new byte[32];
        assertEquals(32, table.copyKey(slot, key, 0));
        assertArrayEquals(info.key(), key);
        final byte[] nonceBase = new byte[12];
        table.copyNonceBase(slot, nonceBase, 0);
        final byte[] saltIv = new byte[12];
        System.arraycopy(info.salt(), 0, saltIv, 0, 4);
        System.arraycopy(info.iv(), 0, saltIv, 4, 8);
        assertArrayEquals(saltIv, nonceBase);
        assertEquals(flow, table.flowKey(slot, new FlowKey()));
    }

    @Test
    void shouldTellDirectionsOfTheSameTupleApart()
    {
        final byte[] ci = TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 1);
        assertEquals(InstallResult.INSTALLED, table.install(1, TestContexts.ipv4(Direction.TX, 5), ci, 0, ci.length, 0));
        assertEquals(-1, table.lookup(TestContexts.ipv4(Direction.RX, 5)));
        assertEquals(InstallResult.INSTALLED, table.install(2, TestContexts.ipv4(Direction.RX, 5), ci, 0, ci.length, 0));
        assertEquals(1, table.contextId(table.lookup(TestContexts.ipv4(Direction.TX, 5))));
        assertEquals(2, table.contextId(table.lookup(TestContexts.ipv4(Direction.RX, 5))));
    }

    @Test
    void shouldRefuseWhenFullAndReuseRemovedSlots()
    {
        final byte[] ci = TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 3);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(InstallResult.INSTALLED, table.install(i, TestContexts.ipv4(Direction.TX, i), ci, 0, ci.length, 0));
        }
        assertEquals(InstallResult.TABLE_FULL, table.install(9, TestContexts.ipv4(Direction.TX, 9), ci, 0, ci.length, 0));
        assertEquals(4, table.size());
        assertEquals(-1, table.slotOf(9));
        final int freed = table.slotOf(2);
        final int generation = table.generation(freed);
        assertTrue(table.remove(2));
        assertFalse(table.remove(2));
        assertEquals(-1, table.lookup(TestContexts.ipv4(Direction.TX, 2)));
        assertEquals(InstallResult.INSTALLED, table.install(9, TestContexts.ipv4(Direction.TX, 9), ci, 0, ci.length, 0));
        assertEquals(freed, table.slotOf(9));
        assertEquals(generation + 1, table.generation(freed));
        assertEquals(9, table.contextId(table.lookup(TestContexts.ipv4(Direction.TX, 9))));
    }

    @Test
    void shouldZeroTheWholeSlotOnRemove()
    {
        final byte[] ci = TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, 4);
        table.install(10, TestContexts.ipv4(Direction.TX, 1), ci, 0, ci.length, 1);
        table.install(11, TestContexts.ipv4(Direction.RX, 1), ci, 0, ci.length, 1);
        final int slot = table.slotOf(10);
        final int base = slot * FlowContextTable.SLOT_LENGTH;
        final byte[] slab = table.slab();
        assertFalse(allZero(slab, base + FlowContextTable.KEY_OFFSET, 32), "key present while installed");
        assertTrue(table.remove(10));
        assertTrue(allZero(slab, base, FlowContextTable.SLOT_LENGTH), "key, nonce base and state wiped");
        assertTrue(table.remove(11));
        assertTrue(allZero(slab, 0, slab.length));
    }

    @Test
    void shouldRefuseDuplicatesUnsupportedAndMalformedInstalls()
    {
        final byte[] ci = TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 5);
        final FlowKey flow = TestContexts.ipv4(Direction.RX, 1);
        assertEquals(InstallResult.INSTALLED, table.install(1, flow, ci, 0, ci.length, 0));
        assertEquals(InstallResult.DUPLICATE_ID, table.install(1, TestContexts.ipv4(Direction.RX, 2), ci, 0, ci.length, 0));
        assertEquals(InstallResult.DUPLICATE_FLOW, table.install(2, flow, ci, 0, ci.length, 0));

        final byte[] chacha = TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, 6);
        assertEquals(InstallResult.UNSUPPORTED,
            table.install(3, TestContexts.ipv4(Direction.RX, 3), chacha, 0, chacha.length, 0));
        final byte[] ccm = ci.clone();
        ccm[2] = 53;
        assertEquals(InstallResult.UNSUPPORTED, table.install(3, TestContexts.ipv4(Direction.RX, 3), ccm, 0, 40, 0));
        final FlowContextTable tls13Only = new FlowContextTable(2,
            DeviceCapabilities.none().with(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128));
        assertEquals(InstallResult.UNSUPPORTED, tls13Only.install(3, flow, ci, 0, ci.length, 0));

        final byte[] badVersion = ci.clone();
        badVersion[0] = 0x05;
        assertEquals(InstallResult.BAD_CRYPTO_INFO, table.install(3, flow, badVersion, 0, 40, 0));
        final byte[] badCipher = ci.clone();
        badCipher[2] = 99;
        assertEquals(InstallResult.BAD_CRYPTO_INFO, table.install(3, flow, badCipher, 0, 40, 0));
        assertEquals(InstallResult.BAD_CRYPTO_INFO, table.install(3, flow, ci, 0, 39, 0));
        assertEquals(InstallResult.BAD_CRYPTO_INFO, table.install(3, flow, ci, 8, 40, 0));
        assertEquals(1, table.size());
    }

    @Test
    void shouldKeepAnInstalledContextWithin256Bytes()
    {
        final FlowContextTable big = new FlowContextTable(100_000, DeviceCapabilities.defaults());
        final int perContext = big.bytesPerContext();
        assertTrue(perContext <= 256, perContext + " bytes per context");
        assertEquals(128 + 4 + 4 + 2 * 8 * 262_144 / 100_000 + 1, perContext);
    }

    @Test
    void shouldResyncToARecordBoundaryAndClearRebuild()
    {
        final byte[] ci = TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 7);
        table.install(1, TestContexts.ipv4(Direction.RX, 1), ci, 0, ci.length, 100);
        final int slot = table.slotOf(1);
        table.setState(slot, TrackerState.RESYNC_PENDING);
        table.setRecordOffset(slot, 33);
        table.setRecordLength(slot, 16_413);
        table.markNeedsRebuild(slot);
        table.resync(slot, 5_000, 42);
        assertEquals(TrackerState.TRACKING, table.state(slot));
        assertEquals(5_000, table.expectedTcpSeq(slot));
        assertEquals(42, table.recordNumber(slot));
        assertEquals(0, table.recordOffset(slot));
        assertEquals(0, table.recordLength(slot));
        assertEquals(0, table.flags(slot));
    }

    @Test
    void shouldMatchHashMapModelOver100kRandomInstallsAndRemoves()
    {
        final int capacity = 1024;
        final FlowContextTable t = new FlowContextTable(capacity, DeviceCapabilities.defaults());
        final Map<Integer, FlowKey> byId = new HashMap<>();
        final Map<FlowKey, Integer> byFlow = new HashMap<>();
        final List<Integer> ids = new ArrayList<>();
        final Random random = new Random(20261122);
        final byte[][] infos = {
            TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 1),
            TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, 2),
        };
        for (int op = 0; op < 100_000; op++)
        {
            if (random.nextInt(100) < 55)
            {
                final int id = random.nextInt(3000);
                final FlowKey flow = random.nextBoolean() ?
                    TestContexts.ipv4(random.nextBoolean() ? Direction.TX : Direction.RX, random.nextInt(2000)) :
                    new FlowKey().setIpv6(Direction.RX, 0x2001_0db8L << 32, random.nextInt(2000), 0xfe80L << 48, 1,
                        random.nextInt(4), 443);
                final byte[] ci = infos[random.nextInt(2)];
                final InstallResult expected = byId.containsKey(id) ? InstallResult.DUPLICATE_ID :
                    byFlow.containsKey(flow) ? InstallResult.DUPLICATE_FLOW :
                    byId.size() == capacity ? InstallResult.TABLE_FULL : InstallResult.INSTALLED;
                assertEquals(expected, t.install(id, flow, ci, 0, ci.length, op), "op " + op);
                if (expected == InstallResult.INSTALLED)
                {
                    byId.put(id, flow);
                    byFlow.put(flow, id);
                    ids.add(id);
                }
            }
            else
            {
                final int id = ids.isEmpty() || random.nextInt(10) == 0 ? random.nextInt(3000) :
                    ids.get(random.nextInt(ids.size()));
                final FlowKey flow = byId.remove(id);
                assertEquals(flow != null, t.remove(id), "op " + op);
                if (flow != null)
                {
                    byFlow.remove(flow);
                    ids.remove(Integer.valueOf(id));
                }
            }
            if (op % 5000 == 0 || op == 99_999)
            {
                assertEquals(byId.size(), t.size());
                final FlowKey scratch = new FlowKey();
                for (final Map.Entry<Integer, FlowKey> e : byId.entrySet())
                {
                    final int slot = t.slotOf(e.getKey());
                    assertEquals(slot, t.lookup(e.getValue()));
                    assertEquals(e.getValue(), t.flowKey(slot, scratch));
                    assertEquals((int)e.getKey(), t.contextId(slot));
                }
            }
        }
        for (final int id : new ArrayList<>(byId.keySet()))
        {
            assertTrue(t.remove(id));
        }
        assertEquals(0, t.size());
        assertTrue(allZero(t.slab(), 0, t.slab().length));
    }

    @Test
    void shouldNotAllocateOnInstallOrRemove()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final FlowContextTable t = new FlowContextTable(1024, DeviceCapabilities.defaults());
        final byte[] ci = TestContexts.cryptoInfoBytes(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 1);
        final FlowKey[] flows = new FlowKey[1024];
        for (int i = 0; i < flows.length; i++)
        {
            flows[i] = TestContexts.ipv4(Direction.TX, i);
        }
        churn(t, ci, flows, 20);
        final long before = threads.getCurrentThreadAllocatedBytes();
        churn(t, ci, flows, 50);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated by 51,200 installs and removes");
    }

    private static void churn(final FlowContextTable t, final byte[] ci, final FlowKey[] flows, final int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < flows.length; i++)
            {
                t.install(i, flows[i], ci, 0, ci.length, i);
            }
            for (int i = 0; i < flows.length; i++)
            {
                t.remove(i);
            }
        }
    }

    private static boolean allZero(final byte[] bytes, final int from, final int length)
    {
        final byte[] zeros = new byte[length];
        return Arrays.equals(bytes, from, from + length, zeros, 0, length);
    }
}
