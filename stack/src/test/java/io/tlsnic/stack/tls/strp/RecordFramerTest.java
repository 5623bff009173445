package io.tlsnic.stack.tls.strp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tlsnic.stack.tls.device.RecordClass;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/** Framing split at every awkward boundary (tls_strp.c; netty SslHandler tests feed byte-exact split input). */
class RecordFramerTest
{
    private static final long START_SEQ = 0xFFFF_FF00L;

    /** Three records with valid headers: the minimum body, 100 bytes, the maximum body (framing does not decrypt). */
    private static byte[] stream(final RecordFramer framer)
    {
        final int[] bodies = {framer.minBodyLength(), 100, framer.maxBodyLength()};
        final Random random = new Random(71);
        final byte[] out = new byte[Arrays.stream(bodies).sum() + 15];
        int at = 0;
        for (final int body : bodies)
        {
            out[at] = 23;
            out[at + 1] = 3;
            out[at + 2] = 3;
            out[at + 3] = (byte)(body >>> 8);
            out[at + 4] = (byte)body;
            final byte[] b = new byte[body];
            random.nextBytes(b);
            System.arraycopy(b, 0, out, at + 5, body);
            at += 5 + body;
        }
        return out;
    }

    /** Feeds {@code chunks} (cut at {@code cuts}) with their marks and collects what is framed. */
    private static List<FramedRecord> feed(final RecordFramer framer, final byte[] s, final int[] cuts, final int[] marks)
    {
        final List<FramedRecord> out = new ArrayList<>();
        int start = 0;
        for (int c = 0; c <= cuts.length; c++)
        {
            final int end = c < cuts.length ? cuts[c] : s.length;
            int at = start;
            while (at < end)
            {
                final int n = Math.min(end - at, framer.bytesWanted());
                framer.append((START_SEQ + at) & 0xFFFF_FFFFL, s, at, n, marks[c]);
                at += n;
                final FramedRecord r = framer.take();
                if (r != null)
                {
                    out.add(r);
                }
            }
            start = end;
        }
        return out;
    }

    private static void assertFramed(final byte[] s, final List<FramedRecord> records)
    {
        assertEquals(3, records.size());
        int at = 0;
        for (final FramedRecord r : records)
        {
            assertEquals((START_SEQ + at) & 0xFFFF_FFFFL, r.tcpSeq());
            assertArrayEquals(Arrays.copyOfRange(s, at, at + r.length()), r.bytes());
            at += r.length();
        }
        assertEquals(s.length, at);
    }

    @Test
    void shouldFrameRecordsSplitAtEveryPositionOfTheFirstTwoRecords()
    {
        for (final TlsVersion version : TlsVersion.values())
        {
            final byte[] s = stream(new RecordFramer(version, TlsCipher.AES_GCM_128));
            final int limit = 5 + new RecordFramer(version, TlsCipher.AES_GCM_128).minBodyLength() + 5 + 100 + 6;
            for (int i = 1; i < limit; i++)
            {
                for (final int j : new int[] {i + 1, i + 3, limit})
                {
                    final RecordFramer framer = new RecordFramer(version, TlsCipher.AES_GCM_128);
                    final int[] cuts = j <= i || j >= s.length ? new int[] {i} : new int[] {i, j};
                    assertFramed(s, feed(framer, s, cuts, new int[cuts.length + 1]));
                }
            }
        }
    }

    @Test
    void shouldFrameOneByteAtATimeAndAllInOneChunk()
    {
        final RecordFramer framer = new RecordFramer(TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305);
        final byte[] s = stream(framer);
        final int[] everyByte = new int[s.length - 1];
        for (int i = 0; i < everyByte.length; i++)
        {
            everyByte[i] = i + 1;
        }
        assertFramed(s, feed(framer, s, everyByte, new int[s.length]));
        assertFramed(s, feed(new RecordFramer(TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305), s, new int[0],
            new int[1]));
    }

    @Test
    void shouldKeepMarkRunsPerRecordAndClassifyThem()
    {
        final RecordFramer framer = new RecordFramer(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128);
        final byte[] s = stream(framer);
        final int first = 5 + framer.minBodyLength();
        final int second = first + 105;
        // record 1: decrypted in two chunks; record 2: header clear, body decrypted; record 3: failed then clear.
        final int[] cuts = {3, first, first + 5, second, second + 1000};
        final int[] marks = {1, 1, 0, 1, 2, 0};
        final List<FramedRecord> records = feed(framer, s, cuts, marks);
        assertFramed(s, records);
        assertEquals(1, records.get(0).markRunCount(), "equal marks merge");
        assertEquals(RecordClass.DEVICE, RecordClass.of(records.get(0)));
        assertEquals(2, records.get(1).markRunCount());
        assertEquals(5, records.get(1).markRunEnd(0));
        assertEquals(0, records.get(1).markRunValue(0));
        assertEquals(RecordClass.MIXED, RecordClass.of(records.get(1)));
        assertEquals(RecordClass.SOFTWARE, RecordClass.of(records.get(2)), "decrypt-failed bytes are ciphertext");
        assertEquals(1000, records.get(2).markRunEnd(0));
    }

    @Test
    void shouldStopWithEmsgsizeOrEinvalOnBadHeaders()
    {
        assertHeaderError(new byte[] {23, 3, 3, 0x40, 0x19}, Errno.EMSGSIZE, "record length 16409 exceeds 16408");
        assertHeaderError(new byte[] {23, 3, 3, 0, 23}, Errno.EMSGSIZE, "record length 23 is below the minimum 24");
        assertHeaderError(new byte[] {23, 3, 1, 0, 30}, Errno.EINVAL, "record version 0x0301");
    }

    private static void assertHeaderError(final byte[] header, final Errno errno, final String message)
    {
        final RecordFramer framer = new RecordFramer(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128);
        framer.append(77, header, 0, 2, 0);
        assertNull(framer.error());
        framer.append(79, header, 2, 3, 0);
        final TlsErrnoException e = framer.error();
        assertEquals(errno, e.errno());
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("tcp seq 77"), e.getMessage());
        assertEquals(0, framer.bytesWanted());
        assertNull(framer.take());
    }

    @Test
    void shouldRefuseBytesThatDoNotContinueTheStream()
    {
        final RecordFramer framer = new RecordFramer(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256);
        framer.append(10, new byte[] {23, 3}, 0, 2, 0);
        assertThrows(IllegalArgumentException.class, () -> framer.append(13, new byte[] {3}, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> framer.append(12, new byte[4], 0, 4, 0));
    }

    @Test
    void shouldFrameIntoAGivenBackArrayOnlyARecordOfItsLength()
    {
        final RecordFramer framer = new RecordFramer(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128);
        final byte[] s = stream(framer); // minimum body, 100 bytes, maximum body
        final byte[] twice = new byte[2 * s.length];
        System.arraycopy(s, 0, twice, 0, s.length);
        System.arraycopy(s, 0, twice, s.length, s.length);
        final List<FramedRecord> first = feed(framer, s, new int[0], new int[] {0});
        final byte[] small = first.get(0).bytes();
        final byte[] full = first.get(2).bytes();
        framer.recycle(full);
        framer.recycle(small);
        final List<FramedRecord> second = new ArrayList<>();
        int at = s.length;
        while (at < twice.length)
        {
            final int n = framer.bytesWanted();
            framer.append((START_SEQ + at) & 0xFFFF_FFFFL, twice, at, n, 0);
            at += n;
            final FramedRecord r = framer.take();
            if (r != null)
            {
                second.add(r);
            }
        }
        assertTrue(second.get(0).bytes() == small, "the minimum record reuses the minimum record's array");
        assertTrue(second.get(1).bytes() != small && second.get(1).bytes() != full, "a 100-byte record a new one");
        assertTrue(second.get(2).bytes() == full, "the full record the full record's array");
        int offset = 0;
        for (final FramedRecord r : second)
        {
            assertEquals(r.bytes().length, r.length(), "an array of exactly the record");
            assertArrayEquals(Arrays.copyOfRange(s, offset, offset + r.length()), r.bytes(), "every byte framed anew");
            offset += r.length();
        }
    }
}
