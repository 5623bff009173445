package io.tlsnic.nic.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.nic.tls.RxTlsEngine.Status;
import io.tlsnic.nic.flow.TrackerState;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

class RxTlsEngineTest
{
    static Stream<Arguments> offloadable()
    {
        return TxTlsEngineTest.offloadable();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("offloadable")
    void shouldDecryptEveryInOrderPacketInPlaceHoweverSegmentsCutTheRecords(final TlsVersion v, final TlsCipher c)
    {
        for (int round = 0; round < 12; round++)
        {
            final SplittableRandom random = new SplittableRandom(round * 104729L + v.code() + c.id());
            final RecordStream s = new RecordStream(v, c, random.nextLong(1 << 20), 40, random);
            final long isn = round == 1 ? 0xFFFF_FFF0L : random.nextLong(1L << 32);
            final RxTlsEngine engine = new RxTlsEngine(s.info, isn);
            final byte[] wire = s.sealed.clone();
            for (final int[] seg : RecordStream.segments(wire.length, random))
            {
                final RxTlsEngine.Outcome o = engine.process((isn + seg[0]) & 0xFFFF_FFFFL, wire, seg[0], seg[1]);
                assertEquals(Status.DECRYPTED, o.status, "segment at " + seg[0]);
                assertEquals(TrackerState.TRACKING, o.stateAfter);
            }
            assertArrayEquals(s.decryptedImage(), wire, "round " + round);
        }
    }

    @Test
    void shouldLeaveThePacketHoldingABadTagUnmodifiedAndCarryOnWithTheNextRecord()
    {
        final SplittableRandom random = new SplittableRandom(5);
        final RecordStream s = new RecordStream(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 1, 6, random);
        final byte[] wire = s.sealed.clone();
        final int second = s.recordStarts.get(1);
        final int third = s.recordStarts.get(2);
        wire[third - 3] ^= 1; // a tag byte of record 2 (index 1)
        final RxTlsEngine engine = new RxTlsEngine(s.info, 0);
        // One packet per record.
        for (int i = 0; i < 6; i++)
        {
            final int from = s.recordStarts.get(i);
            final int to = i + 1 < 6 ? s.recordStarts.get(i + 1) : wire.length;
            final byte[] before = Arrays.copyOfRange(wire, from, to);
            final RxTlsEngine.Outcome o = engine.process(from, wire, from, to - from);
            if (from == second)
            {
                assertEquals(Status.ERROR, o.status);
                assertEquals(1, o.tagsFailed);
                assertArrayEquals(before, Arrays.copyOfRange(wire, from, to), "never partly decrypted in place");
            }
            else
            {
                assertEquals(Status.DECRYPTED, o.status, "record " + i);
            }
        }
        assertEquals(TrackerState.TRACKING, engine.state());
    }

    @Test
    void shouldKeepSyncWhenALostSegmentCarriedNoHeader()
    {
        final SplittableRandom random = new SplittableRandom(6);
        final RecordStream s = new RecordStream(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, 0, 1, random);
        final RecordStream big = bigRecords(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, 4);
        final byte[] wire = big.sealed.clone();
        final int r1 = big.recordStarts.get(1);
        final int r2 = big.recordStarts.get(2);
        final RxTlsEngine engine = new RxTlsEngine(big.info, 0);
        assertEquals(Status.DECRYPTED, engine.process(0, wire, 0, r1 + 1000).status);
        // Lose [r1 + 1000, r1 + 2000): inside record 1, no header in it.
        final RxTlsEngine.Outcome o = engine.process(r1 + 2000, wire, r1 + 2000, r2 - (r1 + 2000));
        assertEquals(Status.NOT_DECRYPTED, o.status, "the rest of a broken record passes unmodified");
        assertEquals(TrackerState.TRACKING, o.stateAfter);
        assertArrayEquals(Arrays.copyOfRange(big.sealed, r1 + 2000, r2), Arrays.copyOfRange(wire, r1 + 2000, r2));
        // The next record is decrypted again.
        assertEquals(Status.DECRYPTED, engine.process(r2, wire, r2, wire.length - r2).status);
        assertArrayEquals(Arrays.copyOfRange(big.decryptedImage(), r2, wire.length),
            Arrays.copyOfRange(wire, r2, wire.length));
        assertTrue(s.sealed.length > 0);
    }

    @Test
    void shouldSearchWhenALostSegmentCarriedAHeaderAndResumeAfterResync()
    {
        final RecordStream big = bigRecords(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 5);
        final byte[] wire = big.sealed.clone();
        final int r1 = big.recordStarts.get(1);
        final int r3 = big.recordStarts.get(3);
        final RxTlsEngine engine = new RxTlsEngine(big.info, 7000);
        assertEquals(Status.DECRYPTED, engine.process(7000, wire, 0, r1 - 100).status);
        // Lose [r1 - 100, r1 + 500): carries the header of record 1.
        RxTlsEngine.Outcome o = engine.process(7000 + r1 + 500, wire, r1 + 500, 3000);
        assertEquals(TrackerState.SEARCHING, o.stateAfter);
        assertEquals(Status.NOT_DECRYPTED, o.status);
        // The host confirms record 3's header: the tracker resumes there.
        assertTrue(engine.resync(7000 + r3, big.info.recSeq() + 3));
        o = engine.process(7000 + r3, wire, r3, wire.length - r3);
        assertEquals(Status.DECRYPTED, o.status);
        assertEquals(TrackerState.TRACKING, o.stateAfter);
        assertArrayEquals(Arrays.copyOfRange(big.decryptedImage(), r3, wire.length),
            Arrays.copyOfRange(wire, r3, wire.length));
    }

    @Test
    void shouldSearchAgainWhenTheHostCancelsAPendingRequestAndNeverDecryptUnconfirmed()
    {
        final RecordStream big = bigRecords(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 6);
        final byte[] wire = big.sealed.clone();
        final int r1 = big.recordStarts.get(1);
        final int r4 = big.recordStarts.get(4);
        final RxTlsEngine engine = new RxTlsEngine(big.info, 0);
        assertEquals(Status.DECRYPTED, engine.process(0, wire, 0, r1 - 100).status);
        // Lose the segment carrying record 1's header; feed the rest of records 1-3 in MSS pieces.
        long requestSeq = -1;
        int at = r1 + 500;
        while (at < r4 && requestSeq < 0)
        {
            final int n = Math.min(1448, r4 - at);
            final RxTlsEngine.Outcome o = engine.process(at, wire, at, n);
            assertNotEquals(Status.DECRYPTED, o.status, "nothing decrypts before the host confirms");
            if (o.requestStarted)
            {
                requestSeq = o.resyncSeq;
            }
            at += n;
        }
        assertTrue(requestSeq >= r1, "the device asked about a candidate: " + requestSeq);
        assertEquals(TrackerState.RESYNC_PENDING, engine.state());

        engine.cancelResync();

        assertEquals(TrackerState.SEARCHING, engine.state());
        // The rest is still searched and asked about again, never decrypted without a confirmation.
        boolean askedAgain = false;
        while (at < wire.length)
        {
            final int n = Math.min(1448, wire.length - at);
            final byte[] before = Arrays.copyOfRange(wire, at, at + n);
            final RxTlsEngine.Outcome o = engine.process(at, wire, at, n);
            assertNotEquals(Status.DECRYPTED, o.status);
            assertArrayEquals(before, Arrays.copyOfRange(wire, at, at + n));
            askedAgain |= o.requestStarted;
            at += n;
        }
        assertTrue(askedAgain, "a new request after the cancel");
    }

    @Test
    void shouldPassOldDataUnmodifiedWithoutMovingTheTracker()
    {
        final RecordStream big = bigRecords(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 3);
        final byte[] wire = big.sealed.clone();
        final RxTlsEngine engine = new RxTlsEngine(big.info, 0);
        assertEquals(Status.DECRYPTED, engine.process(0, wire, 0, 3000).status);
        final byte[] again = Arrays.copyOfRange(big.sealed, 1000, 2448);
        assertEquals(Status.NOT_DECRYPTED, engine.process(1000, again, 0, again.length).status);
        assertArrayEquals(Arrays.copyOfRange(big.sealed, 1000, 2448), again);
        assertEquals(3000, engine.expectedSeq());
        assertEquals(Status.DECRYPTED, engine.process(3000, wire, 3000, wire.length - 3000).status);
    }

    @Test
    void shouldFlagGarbageWhereAHeaderShouldBeAndStartSearching()
    {
        final RecordStream big = bigRecords(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 2);
        final byte[] wire = big.sealed.clone();
        final int r1 = big.recordStarts.get(1);
        wire[r1 + 1] = 0x7F;
        final RxTlsEngine engine = new RxTlsEngine(big.info, 0);
        assertEquals(Status.DECRYPTED, engine.process(0, wire, 0, r1).status);
        final byte[] before = Arrays.copyOfRange(wire, r1, wire.length);
        final RxTlsEngine.Outcome o = engine.process(r1, wire, r1, wire.length - r1);
        assertEquals(Status.ERROR, o.status);
        assertEquals(TrackerState.SEARCHING, o.stateAfter);
        assertArrayEquals(before, Arrays.copyOfRange(wire, r1, wire.length));
    }

    @Test
    void shouldNeverThrowOnRandomBytesAndSeqs()
    {
        final SplittableRandom random = new SplittableRandom(77);
        final RecordStream s = bigRecords(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 2);
        for (int i = 0; i < 200; i++)
        {
            final RxTlsEngine engine = new RxTlsEngine(s.info, random.nextLong(1L << 32));
            for (int j = 0; j < 50; j++)
            {
                final byte[] junk = RecordStream.bytes(random, random.nextInt(3000));
                if (random.nextBoolean() && junk.length > 5)
                {
                    junk[0] = 23;
                    junk[1] = 3;
                    junk[2] = 3;
                }
                engine.process(random.nextLong(1L << 32), junk, 0, junk.length);
                if (random.nextInt(10) == 0)
                {
                    engine.resync(random.nextLong(1L << 32), random.nextLong());
                }
            }
        }
    }

    private static RecordStream bigRecords(final TlsVersion v, final TlsCipher c, final int n)
    {
        // Retry seeds until every record is large enough for the geometry the tests need.
        for (long seed = 1; ; seed++)
        {
            final RecordStream s = new RecordStream(v, c, 10, n, new SplittableRandom(seed));
            boolean ok = true;
            final List<Integer> starts = s.recordStarts;
            for (int i = 0; i < n; i++)
            {
                final int end = i + 1 < n ? starts.get(i + 1) : s.sealed.length;
                ok &= end - starts.get(i) > 4000;
            }
            if (ok)
            {
                return s;
            }
        }
    }
}
