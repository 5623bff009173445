package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.Errno;

/**
 * TX framing (tls_sw.c sendmsg/splice; selftests tls.c send/MSG_MORE/sendfile/multi_chunk_sendfile cases). Every
 * record the socket puts on the wire is opened by {@link BcRecords}, an implementation independent of the layer.
 */
class KtlsTxTest
{
    private static final int MAX = 1 << 14;

    @TempDir
    Path tempDir;

    private static int[] contentLengths(final List<BcRecords.Opened> records)
    {
        return records.stream().mapToInt(o -> o.content.length).toArray();
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldSendOneRecordPerSendThatAnIndependentAeadOpens(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 21, PipeTransport.Chunker.whole());
        final byte[] one = f.randomBytes(1);
        final byte[] some = f.randomBytes(1000);
        assertEquals(1, f.a.send(one, 0, 1, 0));
        assertEquals(1000, f.a.send(some, 0, 1000, 0));
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertEquals(2, records.size());
        assertArrayEquals(one, records.get(0).content);
        assertArrayEquals(some, records.get(1).content);
        assertEquals(Ktls.RECORD_TYPE_DATA, records.get(1).type);
        if (suite.cipher.explicitNonceLength(suite.version) == 8)
        {
            // kTLS sends crypto_info.iv as the explicit nonce of record rec_seq, then increments it.
            final long iv = new BigInteger(1, f.aToB.iv()).longValue();
            assertEquals(iv, records.get(0).explicitNonce);
            assertEquals(iv + 1, records.get(1).explicitNonce);
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldAccumulateMsgMoreAndSplitAt16KiB(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 22, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(25_000);
        for (int i = 0; i < 10; i++)
        {
            assertEquals(2000, f.a.send(data, i * 2000, 2000, Ktls.MSG_MORE));
        }
        final byte[] first = f.wireFromA();
        assertEquals(MAX + recordOverhead(suite), first.length, "only the full record is out");
        f.a.send(data, 20_000, 5000, 0);
        final byte[] second = f.wireFromA();
        final byte[] wire = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, wire, first.length, second.length);
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(wire);
        assertArrayEquals(new int[] {MAX, 25_000 - MAX}, contentLengths(records));
        assertArrayEquals(data, concat(records));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldCloseRecordOnMsgEorAndRefuseEorWithMore(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 23, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(180);
        f.a.send(data, 0, 100, Ktls.MSG_MORE);
        f.a.send(data, 100, 50, Ktls.MSG_EOR);
        f.a.send(data, 150, 30, Ktls.MSG_EOR);
        assertErrno(Errno.EINVAL, "contradict", () -> f.a.send(data, 0, 1, Ktls.MSG_MORE | Ktls.MSG_EOR));
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertArrayEquals(new int[] {150, 30}, contentLengths(records));
        assertArrayEquals(Arrays.copyOf(data, 150), records.get(0).content);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldSendfileInFullSizeRecords(final Suite suite) throws IOException
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 24, PipeTransport.Chunker.whole());
        final byte[] file = f.randomBytes(100_000);
        final Path path = tempDir.resolve("payload.bin");
        Files.write(path, file);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ))
        {
            assertEquals(100_000, f.a.sendfile(ch, 0, 100_000));
            assertEquals(60_000, f.a.sendfile(ch, 1000, 60_000));
            assertEquals(0, ch.position(), "sendfile with an offset leaves the file position alone");
        }
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertArrayEquals(new int[] {MAX, MAX, MAX, MAX, MAX, MAX, 100_000 - 6 * MAX, MAX, MAX, MAX,
            60_000 - 3 * MAX}, contentLengths(records));
        final byte[] all = concat(records);
        assertArrayEquals(file, Arrays.copyOf(all, 100_000));
        assertArrayEquals(Arrays.copyOfRange(file, 1000, 61_000), Arrays.copyOfRange(all, 100_000, 160_000));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldSend128Records(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 25, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(128 * MAX);
        for (int i = 0; i < 128; i++)
        {
            assertEquals(MAX, f.a.send(data, i * MAX, MAX, 0));
        }
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertEquals(128, records.size());
        assertArrayEquals(data, concat(records));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldNeverMergeControlAndDataRecords(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 26, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(40_000);
        f.a.send(data, 0, 10, Ktls.MSG_MORE);
        assertErrno(Errno.EINVAL, "MSG_MORE with a TLS_SET_RECORD_TYPE",
            () -> f.a.sendmsg(data, 0, 2, Ktls.MSG_MORE, Ktls.RECORD_TYPE_ALERT));
        assertEquals(2, f.a.sendmsg(data, 10, 2, 0, Ktls.RECORD_TYPE_ALERT));
        assertEquals(0, f.a.sendmsg(data, 0, 0, 0, Ktls.RECORD_TYPE_HANDSHAKE));
        assertEquals(20_000, f.a.sendmsg(data, 12, 20_000, 0, Ktls.RECORD_TYPE_HANDSHAKE));
        f.a.send(data, 20_012, 5, 0);
        final List<BcRecords.Opened> records = new BcRecords(f.aToB).openAll(f.wireFromA());
        assertArrayEquals(new int[] {23, 21, 22, 22, 22, 23}, records.stream().mapToInt(o -> o.type).toArray());
        assertArrayEquals(new int[] {10, 2, 0, MAX, 20_000 - MAX, 5}, contentLengths(records));
        assertArrayEquals(Arrays.copyOfRange(data, 10, 12), records.get(1).content);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldFailWholeCallWhenSendBufferFullAndKeepMsgMoreData(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 27, 20_000, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(MAX + 4010);
        assertEquals(MAX, f.a.send(data, 0, MAX, 0));
        assertEquals(3000, f.a.send(data, MAX, 3000, Ktls.MSG_MORE));
        assertEquals(1000, f.a.send(data, MAX + 3000, 1000, Ktls.MSG_MORE));
        assertErrno(Errno.EAGAIN, "send buffer full",
            () -> f.a.send(data, MAX + 4000, 10, Ktls.MSG_DONTWAIT));
        assertErrno(Errno.ENOMEM, () -> f.a.send(data, MAX + 4000, 10, 0));
        f.pump();
        assertEquals(10, f.a.send(data, MAX + 4000, 10, 0));
        f.pump();
        assertArrayEquals(data, KtlsFixture.readAvailable(f.b, 1 << 16));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldKeepCiphertextTheTransportRefusedAndPushItWhenWritable(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.connected(suite, 28, 20_000, PipeTransport.Chunker.whole());
        final byte[] data = f.randomBytes(30_000);
        assertEquals(30_000, f.a.send(data, 0, 30_000, 0));
        assertTrue(f.a.pendingTxBytes() > 0, "the second record does not fit the send buffer");
        f.pump();
        assertEquals(0, f.a.pendingTxBytes());
        assertArrayEquals(data, KtlsFixture.readAvailable(f.b, 7000));
    }

    private static int recordOverhead(final Suite suite)
    {
        return 5 + suite.cipher.explicitNonceLength(suite.version) + 16 + (suite.isTls13() ? 1 : 0);
    }

    private static byte[] concat(final List<BcRecords.Opened> records)
    {
        final int total = records.stream().mapToInt(o -> o.content.length).sum();
        final byte[] all = new byte[total];
        int at = 0;
        for (final BcRecords.Opened o : records)
        {
            System.arraycopy(o.content, 0, all, at, o.content.length);
            at += o.content.length;
        }
        return all;
    }
}
