package io.tlsnic.nic.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.tlsnic.wire.util.Hex;

import net.openhft.chronicle.bytes.BytesStore;

/** Every ring layout, written through its flyweight, compared with hand-written bytes, and read back. */
class LayoutTest
{
    private static final int AT = 32;

    private final byte[] memory = new byte[128];
    private final BytesStore<?, byte[]> store = BytesStore.wrap(memory);

    @Test
    void shouldLayOutTxDescriptorLittleEndian()
    {
        assertEquals(32, TxDescriptorFlyweight.LENGTH);
        fill();
        TxDescriptorFlyweight.write(store, AT, 0x0000_0001_0000_2040L, 1514,
            TxDescriptorFlyweight.FLAG_EOP | TxDescriptorFlyweight.FLAG_TSO | TxDescriptorFlyweight.FLAG_TLS,
            1448, 0x0A0B0C0D, 14, 34);
        assertBytes(
            "40 20 00 00 01 00 00 00" +
            "ea 05 00 00" +
            "13 00 a8 05" +
            "0d 0c 0b 0a" +
            "0e 00 22 00" +
            "00 00 00 00 00 00 00 00", 32);
        assertEquals(0x0000_0001_0000_2040L, TxDescriptorFlyweight.bufferAddress(store, AT));
        assertEquals(1514, TxDescriptorFlyweight.bufferLength(store, AT));
        assertEquals(0x13, TxDescriptorFlyweight.flags(store, AT));
        assertEquals(1448, TxDescriptorFlyweight.mss(store, AT));
        assertEquals(0x0A0B0C0D, TxDescriptorFlyweight.tlsContextId(store, AT));
        assertEquals(14, TxDescriptorFlyweight.l3Offset(store, AT));
        assertEquals(34, TxDescriptorFlyweight.l4Offset(store, AT));
    }

    @Test
    void shouldLayOutTheSameBytesInDirectMemoryAsOnTheHeap()
    {
        // Heap rings go through array views, direct ones through the store's accessors: same bytes either way.
        final BytesStore<?, ?> direct = BytesStore.nativeStoreWithFixedCapacity(memory.length);
        try
        {
            for (final BytesStore<?, ?> s : new BytesStore<?, ?>[] {store, direct})
            {
                s.zeroOut(0, memory.length);
                TxDescriptorFlyweight.write(s, 0, 0x0000_0001_0000_2040L, 1514, TxDescriptorFlyweight.FLAG_EOP,
                    1448, 7, 14, 34);
                TxDescriptorFlyweight.tlsSync(s, 0, 0x0102_0304_0506_0708L);
                CompletionFlyweight.writeBody(s, AT, 0x01020304, 0xFFFF, CompletionFlyweight.KIND_RX, 0xFF, 1500, -1,
                    0xFFFF_FFF0, 0x51CCC178, 0xFFFF);
                EntryAccess.writeIntRelease(s, AT + CompletionFlyweight.OWNER_OFFSET, 1);
                RxDescriptorFlyweight.write(s, 2 * AT, 0x1122_3344_5566_7788L, 0x800);
            }
            final byte[] copy = new byte[memory.length];
            direct.read(0, copy, 0, copy.length);
            assertArrayEquals(memory, copy);
            assertEquals(0x0102_0304_0506_0708L, TxDescriptorFlyweight.tlsSync(direct, 0));
            assertEquals(0xFFFF, CompletionFlyweight.queueId(direct, AT));
            assertEquals(0xFF, CompletionFlyweight.tlsStatus(direct, AT));
            assertEquals(0xFFFF_FFF0L, CompletionFlyweight.tcpSeq(direct, AT));
            assertEquals(1, CompletionFlyweight.ownerWordVolatile(direct, AT));
            assertEquals(1, CompletionFlyweight.ownerWordVolatile(store, AT));
        }
        finally
        {
            direct.releaseLast();
        }
    }

    @Test
    void shouldRefuseFieldValuesOutOfRangeAsTheStoreDoes()
    {
        assertThrows(ArithmeticException.class, () -> TxDescriptorFlyweight.write(store, AT, 1, 1, 0x1_0000, 0, 0,
            0, 0));
        assertThrows(ArithmeticException.class, () -> CompletionFlyweight.writeBody(store, AT, 0, 0, 0x100, 0, 0, 0,
            0, 0, 0));
    }

    @Test
    void shouldLayOutRxDescriptorLittleEndian()
    {
        assertEquals(16, RxDescriptorFlyweight.LENGTH);
        fill();
        RxDescriptorFlyweight.write(store, AT, 0x1122_3344_5566_7788L, 0x800);
        assertBytes("88 77 66 55 44 33 22 11 00 08 00 00 00 00 00 00", 16);
        assertEquals(0x1122_3344_5566_7788L, RxDescriptorFlyweight.bufferAddress(store, AT));
        assertEquals(0x800, RxDescriptorFlyweight.bufferLength(store, AT));
    }

    @Test
    void shouldLayOutCompletionWithOwnerWordLast()
    {
        assertEquals(32, CompletionFlyweight.LENGTH);
        assertEquals(28, CompletionFlyweight.OWNER_OFFSET);
        fill();
        CompletionFlyweight.writeBody(store, AT, 0x01020304, 7, CompletionFlyweight.KIND_RX,
            CompletionFlyweight.TLS_RESYNC_REQUEST, 1500, 42, 0xFFFF_FFF0, 0x51CCC178,
            CompletionFlyweight.FLAG_L3_CSUM_OK | CompletionFlyweight.FLAG_L4_CSUM_OK);
        store.writeOrderedInt(AT + CompletionFlyweight.OWNER_OFFSET, 1);
        assertBytes(
            "04 03 02 01" +
            "07 00 01 02" +
            "dc 05 00 00" +
            "2a 00 00 00" +
            "f0 ff ff ff" +
            "78 c1 cc 51" +
            "03 00 00 00" +
            "01 00 00 00", 32);
        assertEquals(0x01020304L, CompletionFlyweight.descriptorIndex(store, AT));
        assertEquals(7, CompletionFlyweight.queueId(store, AT));
        assertEquals(CompletionFlyweight.KIND_RX, CompletionFlyweight.kind(store, AT));
        assertEquals(2, CompletionFlyweight.tlsStatus(store, AT));
        assertEquals(1500, CompletionFlyweight.byteCount(store, AT));
        assertEquals(42, CompletionFlyweight.tlsContextId(store, AT));
        assertEquals(0xFFFF_FFF0L, CompletionFlyweight.tcpSeq(store, AT));
        assertEquals(0x51CCC178, CompletionFlyweight.rssHash(store, AT));
        assertEquals(3, CompletionFlyweight.flags(store, AT));
        assertEquals(1, CompletionFlyweight.ownerWordVolatile(store, AT));
    }

    @Test
    void shouldLayOutControlCommand()
    {
        assertEquals(32, ControlCommandFlyweight.LENGTH);
        fill();
        ControlCommandFlyweight.write(store, AT, ControlCommandFlyweight.OP_INSTALL, 1, 0x00ABCDEF,
            0x0000_0001_0000_3000L, 80, 0x8000_0001, 0x0102_0304_0506_0708L);
        assertBytes(
            "01 01 50 00" +
            "ef cd ab 00" +
            "00 30 00 00 01 00 00 00" +
            "01 00 00 80" +
            "00 00 00 00" +
            "08 07 06 05 04 03 02 01", 32);
        assertEquals(ControlCommandFlyweight.OP_INSTALL, ControlCommandFlyweight.opcode(store, AT));
        assertEquals(1, ControlCommandFlyweight.direction(store, AT));
        assertEquals(80, ControlCommandFlyweight.keyBlockLength(store, AT));
        assertEquals(0x00ABCDEF, ControlCommandFlyweight.contextId(store, AT));
        assertEquals(0x0000_0001_0000_3000L, ControlCommandFlyweight.keyBlockAddress(store, AT));
        assertEquals(0x8000_0001, ControlCommandFlyweight.tcpSeq(store, AT));
        assertEquals(0x0102_0304_0506_0708L, ControlCommandFlyweight.recordNumber(store, AT));
    }

    @Test
    void shouldLayOutControlCompletion()
    {
        assertEquals(16, ControlCompletionFlyweight.LENGTH);
        fill();
        ControlCompletionFlyweight.writeBody(store, AT, 0x11223344, 99, ControlCommandFlyweight.OP_REMOVE,
            ControlCompletionFlyweight.STATUS_TABLE_FULL);
        store.writeOrderedInt(AT + ControlCompletionFlyweight.OWNER_OFFSET, 0);
        assertBytes("44 33 22 11 63 00 00 00 03 01 00 00 00 00 00 00", 16);
        assertEquals(0x11223344L, ControlCompletionFlyweight.commandIndex(store, AT));
        assertEquals(99, ControlCompletionFlyweight.contextId(store, AT));
        assertEquals(ControlCommandFlyweight.OP_REMOVE, ControlCompletionFlyweight.opcode(store, AT));
        assertEquals(ControlCompletionFlyweight.STATUS_TABLE_FULL, ControlCompletionFlyweight.status(store, AT));
    }

    /** Poison the memory first, so a field a writer forgets shows up as 0xee. */
    private void fill()
    {
        java.util.Arrays.fill(memory, (byte)0xEE);
    }

    private void assertBytes(final String hex, final int length)
    {
        assertArrayEquals(Hex.decode(hex), java.util.Arrays.copyOfRange(memory, AT, AT + length));
        assertEquals((byte)0xEE, memory[AT - 1], "byte before the entry untouched");
        assertEquals((byte)0xEE, memory[AT + length], "byte after the entry untouched");
    }
}
