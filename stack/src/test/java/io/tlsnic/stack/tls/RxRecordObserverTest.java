package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.stack.tls.device.RecordClass;

/** The replay hook: every opened RX record is seen once, in order, with its seq, number, class, type and content. */
class RxRecordObserverTest
{
    private record Seen(long tcpSeq, long number, RecordClass recordClass, int type, byte[] content, int padding)
    {
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldSeeEveryRecordOnceWithItsSeqNumberClassAndContent(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 41, PipeTransport.Chunker.random(41, 700));
        final List<Seen> seen = new ArrayList<>();
        f.a.setRxRecordObserver((seq, number, recordClass, type, buf, off, len, padding) ->
            seen.add(new Seen(seq, number, recordClass, type, Arrays.copyOfRange(buf, off, off + len), padding)));
        final KtlsFixture.RawSender peer = f.rawSender();
        final byte[] one = f.randomBytes(100);
        final byte[] alert = {1, 0};
        final byte[] two = f.randomBytes(3000);
        final int firstLength = peer.send(Ktls.RECORD_TYPE_DATA, one).length;
        final int alertLength = peer.send(Ktls.RECORD_TYPE_ALERT, alert).length;
        peer.send(Ktls.RECORD_TYPE_DATA, two);
        f.pump();

        final byte[] buf = new byte[1 << 15];
        final RecordTypeCmsg cmsg = new RecordTypeCmsg();
        assertEquals(one.length, f.a.recvmsg(buf, 0, buf.length, 0, cmsg));
        assertEquals(alert.length, f.a.recvmsg(buf, 0, buf.length, 0, cmsg));
        assertEquals(Ktls.RECORD_TYPE_ALERT, cmsg.recordType());
        assertEquals(two.length, f.a.recvmsg(buf, 0, buf.length, 0, cmsg));

        assertEquals(3, seen.size());
        final long first = f.bToA.recSeq();
        assertEquals(seen.get(0).tcpSeq() + firstLength, seen.get(1).tcpSeq());
        assertEquals(seen.get(1).tcpSeq() + alertLength, seen.get(2).tcpSeq());
        assertEquals(List.of(first, first + 1, first + 2), seen.stream().map(Seen::number).toList());
        assertEquals(List.of(Ktls.RECORD_TYPE_DATA, Ktls.RECORD_TYPE_ALERT, Ktls.RECORD_TYPE_DATA),
            seen.stream().map(Seen::type).toList());
        seen.forEach(s -> assertEquals(RecordClass.SOFTWARE, s.recordClass(), "no device under a pipe"));
        assertArrayEquals(one, seen.get(0).content());
        assertArrayEquals(alert, seen.get(1).content());
        assertArrayEquals(two, seen.get(2).content());
    }
}
