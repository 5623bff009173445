package io.tlsnic.stack.dev;

import java.util.EnumSet;
import java.util.Set;

import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Which (direction, version, cipher) a device offloads, as a device advertises it (mlx5: TLS 1.2 AES-GCM-128/256;
 * FreeBSD mlx5en also TLS 1.3). Immutable.
 */
public final class TlsOffloadCapabilities
{
    private static final TlsOffloadCapabilities NONE = new TlsOffloadCapabilities(new boolean[2][2][4]);

    private final boolean[][][] supported;

    private TlsOffloadCapabilities(final boolean[][][] supported)
    {
        this.supported = supported;
    }

    /** @return a device with no TLS offload. */
    public static TlsOffloadCapabilities none()
    {
        return NONE;
    }

    /**
     * @param directions directions offered.
     * @param versions versions offered.
     * @param ciphers ciphers offered.
     * @return every combination of the three.
     */
    public static TlsOffloadCapabilities of(
        final Set<TlsDirection> directions, final Set<TlsVersion> versions, final Set<TlsCipher> ciphers)
    {
        final boolean[][][] s = new boolean[2][2][4];
        for (final TlsDirection d : directions)
        {
            for (final TlsVersion v : versions)
            {
                for (final TlsCipher c : ciphers)
                {
                    s[d.ordinal()][v.ordinal()][c.ordinal()] = true;
                }
            }
        }
        return new TlsOffloadCapabilities(s);
    }

    /** @return the tlsnic default: TX and RX, TLS 1.2 and 1.3, AES-GCM-128/256; ChaCha20 not offloaded. */
    public static TlsOffloadCapabilities aesGcmDefault()
    {
        return of(EnumSet.allOf(TlsDirection.class), EnumSet.allOf(TlsVersion.class),
            EnumSet.of(TlsCipher.AES_GCM_128, TlsCipher.AES_GCM_256));
    }

    /** @return whether the device offloads this combination. */
    public boolean supports(final TlsDirection direction, final TlsVersion version, final TlsCipher cipher)
    {
        return supported[direction.ordinal()][version.ordinal()][cipher.ordinal()];
    }

    /** @return whether any TLS offload is offered. */
    public boolean any()
    {
        for (final boolean[][] d : supported)
        {
            for (final boolean[] v : d)
            {
                for (final boolean c : v)
                {
                    if (c)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
