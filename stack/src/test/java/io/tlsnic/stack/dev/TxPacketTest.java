package io.tlsnic.stack.dev;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TxPacketTest
{
    @Test
    void shouldPresentAContiguousFrameAsItIs()
    {
        final byte[] frame = {1, 2, 3, 4, 5, 6};
        final TxPacket p = new TxPacket(frame, 6, 4, 100, 0, null);
        assertTrue(p.contiguous());
        assertSame(frame, p.frame());
        assertEquals(2, p.payloadLength());
        assertEquals(4, p.payloadOffset());
        assertFalse(p.checksumPartial());
    }

    @Test
    void shouldJoinHeadersAndALentPayloadAndDetachFromBoth()
    {
        final byte[] headers = {1, 2, 3, 9, 9};
        final byte[] sendBuffer = {7, 7, 4, 5, 6, 7};
        final TxPacket lent = new TxPacket(headers, 3, sendBuffer, 2, 3, 200, 0, null, true);
        assertFalse(lent.contiguous());
        assertEquals(6, lent.length());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, lent.frame());

        final TxPacket kept = lent.detached();
        headers[0] = 0;
        sendBuffer[2] = 0;
        assertNotSame(headers, kept.header());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, kept.frame(), "the buffers' later bytes do not reach it");
        assertTrue(kept.contiguous());
        assertTrue(kept.checksumPartial());
        assertEquals(200, kept.payloadSeq());
    }
}
