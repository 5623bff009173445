package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** Setup and option validation (tls_main.c; selftests tls.c "setsockopt"/"getsockopt" cases). */
class KtlsOptionsTest
{
    private final TlsCounters counters = new TlsCounters();

    private KtlsSocket socket()
    {
        return new KtlsSocket(PipeTransport.pair(1 << 20, PipeTransport.Chunker.whole())[0], counters);
    }

    @Test
    void shouldRefuseUlpOnConnectionNotEstablished()
    {
        final PipeTransport t = PipeTransport.pair(1 << 20, PipeTransport.Chunker.whole())[0];
        t.established(false);
        assertErrno(Errno.ENOTCONN, () -> new KtlsSocket(t, counters).setUlp("tls"));
    }

    @Test
    void shouldRefuseSecondUlpAndUnknownUlp()
    {
        final KtlsSocket s = socket();
        assertErrno(Errno.ENOENT, "\"mptcp\"", () -> s.setUlp("mptcp"));
        s.setUlp("tls");
        assertErrno(Errno.EEXIST, () -> s.setUlp("tls"));
    }

    @Test
    void shouldRefuseSolTlsBeforeUlpAndUnknownOptions()
    {
        final KtlsSocket s = socket();
        final byte[] info = Suite.TLS12_AES_GCM_128.randomInfo(new Random(1), 0).toBytes();
        assertErrno(Errno.ENOPROTOOPT, () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, info));
        s.setUlp("tls");
        assertErrno(Errno.ENOPROTOOPT, () -> s.setsockopt(6, Ktls.TLS_TX, info));
        assertErrno(Errno.ENOPROTOOPT, () -> s.setsockopt(Ktls.SOL_TLS, 99, info));
    }

    @Test
    void shouldRefuseBadCryptoInfo()
    {
        final KtlsSocket s = socket();
        s.setUlp("tls");
        final byte[] good = Suite.TLS12_AES_GCM_128.randomInfo(new Random(2), 0).toBytes();
        assertErrno(Errno.EINVAL, "shorter than the 4-byte header",
            () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, good, 0, 3));
        for (final int badId : new int[] {0, 50, 53, 55, 0xFFFF})
        {
            final byte[] bad = good.clone();
            bad[2] = (byte)badId;
            bad[3] = (byte)(badId >>> 8);
            assertErrno(Errno.EINVAL, () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, bad));
        }
        final byte[] badVersion = good.clone();
        badVersion[0] = 0x02;
        assertErrno(Errno.EINVAL, "0x0302", () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, badVersion));
        assertErrno(Errno.EINVAL, "length 39 does not match 40",
            () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, good, 0, 39));
        // Key sizes: a 40-byte AES-128 struct labelled AES-256 (and the reverse) is refused.
        final byte[] as256 = good.clone();
        as256[2] = (byte)TlsCipher.AES_GCM_256.id();
        assertErrno(Errno.EINVAL, "does not match 56", () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, as256));
        final byte[] aes256 = Suite.TLS12_AES_GCM_256.randomInfo(new Random(3), 0).toBytes();
        aes256[2] = (byte)TlsCipher.AES_GCM_128.id();
        assertErrno(Errno.EINVAL, "does not match 40", () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, aes256));
        assertEquals(0, counters.get(TlsStat.TLS_TX_SW));
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, good);
        assertEquals(1, counters.get(TlsStat.TLS_TX_SW));
        assertEquals(1, counters.get(TlsStat.TLS_CURR_TX_SW));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldReturnWhatWasSetWithIvAndRecSeqAsTheKernelAdvancesThem(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 7, PipeTransport.Chunker.whole());
        final byte[] got = new byte[f.aToB.encodedLength()];
        assertEquals(got.length, f.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, got, 0, got.length));
        assertArrayEquals(f.aToB.toBytes(), got);
        for (int i = 0; i < 3; i++)
        {
            f.a.send(new byte[] {1, 2, 3}, 0, 3, 0);
        }
        f.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, got, 0, got.length);
        final CryptoInfo now = CryptoInfo.parse(got, 0, got.length);
        assertEquals(3, now.recSeq());
        assertArrayEquals(f.aToB.key(), now.key());
        assertArrayEquals(f.aToB.salt(), now.salt());
        final byte[] expectedIv = f.aToB.iv();
        if (suite.cipher.explicitNonceLength(suite.version) == 8)
        {
            // tls_advance_record_sn increments the TLS 1.2 AES-GCM explicit nonce with the record number.
            final long explicit = new java.math.BigInteger(1, expectedIv).longValue() + 3;
            for (int i = 0; i < 8; i++)
            {
                expectedIv[i] = (byte)(explicit >>> (56 - 8 * i));
            }
        }
        assertArrayEquals(expectedIv, now.iv());
        final byte[] header = new byte[4];
        assertEquals(4, f.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, header, 0, 4));
        assertArrayEquals(Arrays.copyOf(f.bToA.toBytes(), 4), header);
        assertErrno(Errno.EINVAL, () -> f.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, got, 0, 3));
        assertErrno(Errno.EINVAL, () -> f.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, got, 0, got.length - 1));
    }

    @Test
    void shouldReportEbusyForDirectionNotSet()
    {
        final KtlsSocket s = socket();
        s.setUlp("tls");
        assertErrno(Errno.EBUSY, () -> s.getsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, new byte[40], 0, 40));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldRefuseTls12RekeyAndAllowTls13Rekey(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 8, PipeTransport.Chunker.whole());
        final byte[] next = suite.randomInfo(f.random, 0).toBytes();
        if (!suite.isTls13())
        {
            assertErrno(Errno.EBUSY, () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, next));
            assertErrno(Errno.EBUSY, () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, next));
            assertEquals(1, f.counters.get(TlsStat.TLS_TX_REKEY_ERROR));
            assertEquals(1, f.counters.get(TlsStat.TLS_RX_REKEY_ERROR));
            return;
        }
        f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, next);
        assertEquals(1, f.counters.get(TlsStat.TLS_TX_REKEY_OK));
        assertEquals(1, f.counters.get(TlsStat.TLS_TX_SW));
        final Suite otherCipher = suite.cipher == TlsCipher.AES_GCM_128 ? Suite.TLS13_AES_GCM_256 : Suite.TLS13_AES_GCM_128;
        assertErrno(Errno.EINVAL, "differs",
            () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, otherCipher.randomInfo(f.random, 0).toBytes()));
        final CryptoInfo v12 = CryptoInfo.of(TlsVersion.TLS_1_2, suite.cipher, new byte[suite.cipher.ivLength()],
            new byte[suite.cipher.keyLength()], new byte[suite.cipher.saltLength()], 0);
        assertErrno(Errno.EINVAL, "differs", () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, v12.toBytes()));
        assertEquals(1, f.counters.get(TlsStat.TLS_TX_REKEY_ERROR));
        assertEquals(1, f.counters.get(TlsStat.TLS_RX_REKEY_ERROR));
    }

    @Test
    void shouldRequireSameSuiteInBothDirections()
    {
        final KtlsSocket s = socket();
        s.setUlp("tls");
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, Suite.TLS12_AES_GCM_128.randomInfo(new Random(4), 0).toBytes());
        assertErrno(Errno.EINVAL, "differs from TLS_TX", () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX,
            Suite.TLS13_AES_GCM_128.randomInfo(new Random(5), 0).toBytes()));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldFailAfterRecordNumberWrapsPast2To64(final Suite suite)
    {
        // rec_seq = 2^64 - 2: records 2^64 - 2 and 2^64 - 1 go out, then the number would wrap.
        final CryptoInfo nearWrap = suite.randomInfo(new Random(9), -2L);
        final KtlsSocket s = socket();
        s.setUlp("tls");
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, nearWrap.toBytes());
        assertEquals(1, s.send(new byte[1], 0, 1, 0));
        assertEquals(1, s.send(new byte[1], 0, 1, 0));
        final byte[] got = new byte[nearWrap.encodedLength()];
        s.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, got, 0, got.length);
        assertEquals(0, CryptoInfo.parse(got, 0, got.length).recSeq());
        assertErrno(Errno.EBADMSG, "wrapped", () -> s.send(new byte[1], 0, 1, 0));
    }

    @Test
    void shouldValidateZeroCopyAndNoPadOptions()
    {
        final KtlsFixture f12 = KtlsFixture.withRawPeer(Suite.TLS12_AES_GCM_128, 11, PipeTransport.Chunker.whole());
        final byte[] one = {1, 0, 0, 0};
        final byte[] two = {2, 0, 0, 0};
        f12.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_ZEROCOPY_RO, one);
        final byte[] out = new byte[8];
        assertEquals(4, f12.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_ZEROCOPY_RO, out, 0, 8));
        assertEquals(1, out[0]);
        assertErrno(Errno.EINVAL, () -> f12.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_ZEROCOPY_RO, two));
        assertErrno(Errno.EINVAL, () -> f12.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_ZEROCOPY_RO, one, 0, 3));
        assertErrno(Errno.EINVAL, "only for TLS 1.3",
            () -> f12.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, one));
        assertErrno(Errno.EINVAL, () -> f12.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, out, 0, 4));

        final KtlsFixture f13 = KtlsFixture.withRawPeer(Suite.TLS13_AES_GCM_128, 12, PipeTransport.Chunker.whole());
        f13.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, new byte[] {1, 0, 0, 0, 0, 0});
        assertEquals(4, f13.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, out, 0, 4));
        assertEquals(1, out[0]);
        assertErrno(Errno.EINVAL, "past the u32",
            () -> f13.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, new byte[] {1, 0, 0, 0, 1}));
        assertErrno(Errno.EINVAL, () -> f13.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, two));
        assertErrno(Errno.EINVAL, () -> f13.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_RX_EXPECT_NO_PAD, out, 0, 3));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldValidateMaxPayloadLengthAndRefuseItWhileRecordOpen(final Suite suite)
    {
        final KtlsFixture f = KtlsFixture.withRawPeer(suite, 13, PipeTransport.Chunker.whole());
        final int min = suite.isTls13() ? 63 : 64;
        assertErrno(Errno.EINVAL, "outside", () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_MAX_PAYLOAD_LEN, u16(min - 1)));
        assertErrno(Errno.EINVAL, () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_MAX_PAYLOAD_LEN, u16(16385)));
        assertErrno(Errno.EINVAL, "is not 2",
            () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_MAX_PAYLOAD_LEN, new byte[] {0, 1, 0, 0}));
        f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_MAX_PAYLOAD_LEN, u16(min));
        final byte[] out = new byte[2];
        assertEquals(2, f.a.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_MAX_PAYLOAD_LEN, out, 0, 2));
        assertArrayEquals(u16(min), out);
        f.a.send(new byte[10], 0, 10, Ktls.MSG_MORE);
        assertErrno(Errno.EBUSY, () -> f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_MAX_PAYLOAD_LEN, u16(1000)));
        f.a.send(new byte[0], 0, 0, 0);
        f.a.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX_MAX_PAYLOAD_LEN, u16(1000));
        // 2500 bytes at 1000 per record: 1000 + 1000 + 500 (after the 10-byte record closed above).
        f.a.send(new byte[2500], 0, 2500, 0);
        final BcRecords bc = new BcRecords(f.aToB);
        final int[] lengths = bc.openAll(f.wireFromA()).stream().mapToInt(o -> o.content.length).toArray();
        assertArrayEquals(new int[] {10, 1000, 1000, 500}, lengths);
    }

    private static byte[] u16(final int v)
    {
        return new byte[] {(byte)v, (byte)(v >>> 8)};
    }
}
