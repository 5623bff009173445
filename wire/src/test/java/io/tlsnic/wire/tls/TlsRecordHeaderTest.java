package io.tlsnic.wire.tls;

import java.util.HexFormat;

import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsRecordHeaderTest
{
    private final TlsRecordHeader header = new TlsRecordHeader();

    @Test
    void shouldReadTheClientHelloRecordHeaderOfAClientHelloSegment()
    {
        // Payload start of zeek-tls12-decryption.pcap #4: handshake, legacy version 3.1, 512 bytes.
        final BytesStore<?, byte[]> store = BytesStore.wrap(HexFormat.of().parseHex("1603010200010001fc"));
        header.wrap(store, 0);

        assertEquals(TlsRecordHeader.CONTENT_TYPE_HANDSHAKE, header.contentType());
        assertEquals(0x0301, header.legacyVersion());
        assertEquals(512, header.length());
        assertEquals(517, header.recordLength());
        assertEquals(5, header.headerLength());
        assertTrue(header.isPlausible());
        assertEquals("handshake", TlsRecordHeader.contentTypeName(header.contentType()));
    }

    @Test
    void shouldWriteEveryField()
    {
        final byte[] bytes = new byte[7];
        header.wrap(BytesStore.wrap(bytes), 2)
            .contentType(TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA).legacyVersion(0x0303).length(16401);

        assertEquals("00001703034011", HexFormat.of().formatHex(bytes));
        assertEquals(16401, header.length());
    }

    @Test
    void shouldAcceptOnlyTls12And13LookingHeaders()
    {
        assertTrue(TlsRecordHeader.isPlausible(20, 0x0303, 1));
        assertTrue(TlsRecordHeader.isPlausible(23, 0x0304, 0));
        assertTrue(TlsRecordHeader.isPlausible(21, 0x0301, TlsRecordHeader.MAX_CIPHERTEXT_LENGTH));
        assertFalse(TlsRecordHeader.isPlausible(21, 0x0303, (1 << 14) + 2048 + 1));
        assertFalse(TlsRecordHeader.isPlausible(19, 0x0303, 10));
        assertFalse(TlsRecordHeader.isPlausible(24, 0x0303, 10));
        assertFalse(TlsRecordHeader.isPlausible(22, 0x0300, 10));
        assertFalse(TlsRecordHeader.isPlausible(22, 0x0305, 10));
        assertFalse(TlsRecordHeader.isPlausible(22, 0x0403, 10));
        assertEquals("24", TlsRecordHeader.contentTypeName(24));
    }

    @Test
    void shouldProbeWithoutReadingPastTheBytesGiven()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(HexFormat.of().parseHex("170303002a"));

        assertTrue(TlsRecordHeader.isPlausible(store, 0, 5));
        for (int available = 0; available < 5; available++)
        {
            assertFalse(TlsRecordHeader.isPlausible(store, 0, available));
        }
        assertFalse(TlsRecordHeader.isPlausible(store, 1, 5));
        assertFalse(TlsRecordHeader.isPlausible(store, -1, 5));
        assertFalse(TlsRecordHeader.isPlausible(store, Long.MAX_VALUE, 5));
    }

    @Test
    void shouldRefuseToWrapFewerThanFiveBytes()
    {
        final BytesStore<?, byte[]> store = BytesStore.wrap(new byte[8]);

        final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> header.wrap(store, 4));
        assertEquals("TLS record header needs 5 bytes but 4 bytes are available at offset 4", e.getMessage());
    }
}
