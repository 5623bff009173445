package io.tlsnic.nic.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

class TxTlsEngineTest
{
    static Stream<Arguments> offloadable()
    {
        return Stream.of(TlsVersion.values()).flatMap(v ->
            Stream.of(TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256).map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("offloadable")
    void shouldProduceExactlyTheSoftwareRecordsHoweverSegmentsCutThem(final TlsVersion v, final TlsCipher c)
    {
        for (int round = 0; round < 12; round++)
        {
            final SplittableRandom random = new SplittableRandom(round * 7919L + v.code() + c.id());
            final long firstRecord = round == 0 ? 0xFFFF_FFFF_FFFF_FFFDL : random.nextLong(1000);
            final RecordStream s = new RecordStream(v, c, firstRecord, 40, random);
            final long isn = round == 1 ? 0xFFFF_FF00L : random.nextLong(1L << 32); // crosses 2^32 in round 1
            final TxTlsEngine engine = new TxTlsEngine(s.info, isn);
            final byte[] wire = s.image.clone();
            final List<int[]> segs = RecordStream.segments(wire.length, random);
            for (final int[] seg : segs)
            {
                assertEquals(TxTlsEngine.Result.ENCRYPTED,
                    engine.encrypt((isn + seg[0]) & 0xFFFF_FFFFL, wire, seg[0], seg[1]));
            }
            assertArrayEquals(s.sealed, wire, "round " + round + ", " + segs.size() + " segments");
            assertEquals(40, engine.recordsCompleted());
            assertEquals(firstRecord + 40, engine.recordNumber());
        }
    }

    @Test
    void shouldRefuseASegmentAtAnUnexpectedSeqAndLeaveItUntouched()
    {
        final RecordStream s = new RecordStream(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 1, 3,
            new SplittableRandom(1));
        final TxTlsEngine engine = new TxTlsEngine(s.info, 1000);
        final byte[] wire = s.image.clone();
        assertEquals(TxTlsEngine.Result.ENCRYPTED, engine.encrypt(1000, wire, 0, 100));
        final byte[] before = wire.clone();
        assertEquals(TxTlsEngine.Result.OUT_OF_ORDER, engine.encrypt(1000, wire, 0, 100), "retransmission");
        assertEquals(TxTlsEngine.Result.OUT_OF_ORDER, engine.encrypt(1200, wire, 200, 50), "jump forward");
        assertArrayEquals(before, wire);
        assertEquals(1100, engine.expectedSeq());
    }

    @Test
    void shouldReportAnErrorForAHeaderTheFlowCannotCarry()
    {
        final RecordStream s = new RecordStream(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, 0, 2,
            new SplittableRandom(2));
        final byte[] wire = s.image.clone();
        wire[0] = 22; // TLS 1.3 outer type must be 23
        final TxTlsEngine split = new TxTlsEngine(s.info, 0);
        assertEquals(TxTlsEngine.Result.ENCRYPTED, split.encrypt(0, wire, 0, 3), "3 header bytes cannot tell yet");
        assertEquals(TxTlsEngine.Result.ERROR, split.encrypt(3, wire, 3, 2), "the 5th byte completes a bad header");
        assertEquals(TxTlsEngine.Result.ERROR, new TxTlsEngine(s.info, 0).encrypt(0, wire, 0, wire.length));
        final byte[] tooLong = s.image.clone();
        tooLong[3] = (byte)0x7F;
        assertEquals(TxTlsEngine.Result.ERROR, new TxTlsEngine(s.info, 0).encrypt(0, tooLong, 0, 5));
        assertEquals(0, Arrays.compare(s.image, 5, s.image.length, tooLong, 5, tooLong.length));
    }
}
