package io.tlsnic.nic.flow;

import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** crypto_info structs and flow keys for tests, with key bytes derived from a seed so each context differs. */
final class TestContexts
{
    private TestContexts()
    {
    }

    static CryptoInfo cryptoInfo(final TlsVersion version, final TlsCipher cipher, final int seed, final long recSeq)
    {
        return CryptoInfo.of(version, cipher, fill(cipher.ivLength(), seed + 1), fill(cipher.keyLength(), seed + 2),
            fill(cipher.saltLength(), seed + 3), recSeq);
    }

    static byte[] cryptoInfoBytes(final TlsVersion version, final TlsCipher cipher, final int seed)
    {
        return cryptoInfo(version, cipher, seed, seed * 1000L).toBytes();
    }

    static FlowKey ipv4(final Direction direction, final int n)
    {
        return new FlowKey().setIpv4(direction, 0x0A00_0000 | n, 0xC0A8_0001, 40_000 + (n & 0x3FFF), 443);
    }

    static byte[] fill(final int length, final int seed)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)(seed * 31 + i * 7 + 1);
        }
        return b;
    }
}
