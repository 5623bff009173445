package io.tlsnic.stack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqTest
{
    private static final int TOP = 0xFFFF_FFF0;

    @Test
    void shouldOrderAcrossTheWrap()
    {
        assertTrue(Seq.before(TOP, 5));
        assertTrue(Seq.after(5, TOP));
        assertFalse(Seq.before(5, TOP));
        assertTrue(Seq.beforeOrAt(7, 7) && Seq.afterOrAt(7, 7));
        assertEquals(5, Seq.max(TOP, 5));
        assertEquals(TOP, Seq.min(TOP, 5));
    }

    @Test
    void shouldAddAndSubtractModulo2To32()
    {
        assertEquals(4, Seq.add(TOP, 20));
        assertEquals(21, Seq.diff(5, TOP));
        assertEquals(-21, Seq.diff(TOP, 5));
        assertEquals(0xFFFF_FFF0L, Seq.toUnsigned(TOP));
    }

    @Test
    void shouldTestHalfOpenRangesAcrossTheWrap()
    {
        assertTrue(Seq.inRange(TOP, TOP, 5));
        assertTrue(Seq.inRange(0, TOP, 5));
        assertFalse(Seq.inRange(5, TOP, 5));
        assertFalse(Seq.inRange(TOP - 1, TOP, 5));
    }
}
