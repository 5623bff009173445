package io.tlsnic.stack.tls;

import static io.tlsnic.stack.tls.KtlsFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Setup and option validation over the whole matrix (selftests tls.c tls_basic bad_cipher, keysizes,
 * non_established, getsockopt; tls_main.c do_tls_setsockopt_conf): every suite refuses unknown cipher ids, structs of
 * the wrong size, a version or cipher that differs from the other direction, and options before TCP_ULP or before
 * ESTABLISHED; a refused crypto_info installs nothing.
 */
class KtlsSetupMatrixTest
{
    private static final TlsCounters IGNORED = new TlsCounters();

    private static KtlsSocket attached(final TlsCounters counters)
    {
        final KtlsSocket s = new KtlsSocket(PipeTransport.pair(1 << 20, PipeTransport.Chunker.whole())[0], counters);
        s.setUlp("tls");
        return s;
    }

    private static byte[] withCipherId(final byte[] info, final int id)
    {
        final byte[] b = info.clone();
        b[2] = (byte)id;
        b[3] = (byte)(id >>> 8);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldRefuseBadCipherIdsAndKeySizesInBothDirections(final Suite suite)
    {
        final TlsCounters counters = new TlsCounters();
        final KtlsSocket s = attached(counters);
        final CryptoInfo info = suite.randomInfo(new Random(111), 0);
        final byte[] good = info.toBytes();
        for (final int optname : new int[] {Ktls.TLS_TX, Ktls.TLS_RX})
        {
            for (final int badId : new int[] {0, 1, 50, TlsCipher.AES_CCM_128.id(), 55, 56, 0x3300, 0xFFFF})
            {
                assertErrno(Errno.EINVAL, () -> s.setsockopt(Ktls.SOL_TLS, optname, withCipherId(good, badId)));
            }
            for (final TlsCipher other : TlsCipher.values())
            {
                if (other != suite.cipher && CryptoInfo.encodedLength(other) != good.length)
                {
                    // keysizes: this suite's struct labelled with a cipher whose struct has another size.
                    assertErrno(Errno.EINVAL, () -> s.setsockopt(Ktls.SOL_TLS, optname, withCipherId(good, other.id())));
                }
            }
            assertErrno(Errno.EINVAL, () -> s.setsockopt(Ktls.SOL_TLS, optname, good, 0, good.length - 1));
            final byte[] longer = Arrays.copyOf(good, good.length + 1);
            assertErrno(Errno.EINVAL, () -> s.setsockopt(Ktls.SOL_TLS, optname, longer));
            assertErrno(Errno.EINVAL, () -> s.setsockopt(Ktls.SOL_TLS, optname, good, 0, 3));
            final byte[] badVersion = good.clone();
            badVersion[0] = 0x05;
            assertErrno(Errno.EINVAL, () -> s.setsockopt(Ktls.SOL_TLS, optname, badVersion));
            // A refused crypto_info installs nothing.
            assertErrno(Errno.EBUSY, () -> s.getsockopt(Ktls.SOL_TLS, optname, new byte[good.length], 0,
                good.length));
        }
        assertEquals(0, counters.get(TlsStat.TLS_TX_SW) + counters.get(TlsStat.TLS_RX_SW));
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, good);
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, good);
        for (final int optname : new int[] {Ktls.TLS_TX, Ktls.TLS_RX})
        {
            final byte[] got = new byte[good.length];
            assertEquals(good.length, s.getsockopt(Ktls.SOL_TLS, optname, got, 0, got.length));
            assertArrayEquals(good, got);
            for (int shortLen = 0; shortLen < 4; shortLen++)
            {
                final int len = shortLen;
                assertErrno(Errno.EINVAL, () -> s.getsockopt(Ktls.SOL_TLS, optname, got, 0, len));
            }
        }
        assertEquals(1, counters.get(TlsStat.TLS_TX_SW));
        assertEquals(1, counters.get(TlsStat.TLS_RX_SW));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldRequireSameVersionAndCipherBothWays(final Suite suite)
    {
        final Random random = new Random(113);
        final KtlsSocket s = attached(IGNORED);
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, suite.randomInfo(random, 0).toBytes());
        for (final Suite other : Suite.values())
        {
            if (other != suite)
            {
                assertErrno(Errno.EINVAL, "differs from TLS_RX",
                    () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, other.randomInfo(random, 0).toBytes()));
            }
        }
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, suite.randomInfo(random, 0).toBytes());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void shouldRefuseOptionsBeforeUlpAndUlpBeforeEstablished(final Suite suite)
    {
        final byte[] info = suite.randomInfo(new Random(114), 0).toBytes();
        final PipeTransport t = PipeTransport.pair(1 << 20, PipeTransport.Chunker.whole())[0];
        final KtlsSocket s = new KtlsSocket(t, IGNORED);
        assertErrno(Errno.ENOPROTOOPT, () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, info));
        assertErrno(Errno.ENOPROTOOPT, () -> s.getsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, new byte[4], 0, 4));
        t.established(false);
        assertErrno(Errno.ENOTCONN, () -> s.setUlp("tls"));
        t.established(true);
        s.setUlp("tls");
        assertErrno(Errno.EEXIST, () -> s.setUlp("tls"));
        s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, info);
        if (suite.version == TlsVersion.TLS_1_2)
        {
            assertErrno(Errno.EBUSY, () -> s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, info));
        }
        else
        {
            s.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, info);
        }
    }
}
