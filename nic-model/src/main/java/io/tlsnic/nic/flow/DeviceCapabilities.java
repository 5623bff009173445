package io.tlsnic.nic.flow;

import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Which TLS version x cipher pairs the device offloads, a device property advertised in the CAPABILITIES register
 * (one bit per pair: bit {@code 8 * version.ordinal() + cipher.ordinal()}). The default is what ConnectX-6 Dx
 * class hardware offers: TLS 1.2 and 1.3 with AES-GCM-128 and AES-GCM-256; ChaCha20-Poly1305 is not offloaded
 * (the inline engine implements AES-GCM and ChaCha20-Poly1305; the defaults enable AES-GCM only). An INSTALL of a pair
 * outside the set completes with UNSUPPORTED and the socket stays in software (OFFLOAD-CONTRACT section 3).
 */
public final class DeviceCapabilities
{
    private final long bits;

    private DeviceCapabilities(final long bits)
    {
        this.bits = bits;
    }

    /** @return no offload at all. */
    public static DeviceCapabilities none()
    {
        return new DeviceCapabilities(0);
    }

    /** @return TLS 1.2 and 1.3 with AES-GCM-128 and AES-GCM-256. */
    /**
     * @param bits a value read from the CAPABILITIES register.
     * @return the capabilities it encodes.
     */
    public static DeviceCapabilities fromBits(final long bits)
    {
        return new DeviceCapabilities(bits);
    }

    public static DeviceCapabilities defaults()
    {
        return none()
            .with(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128).with(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256)
            .with(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128).with(TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256);
    }

    /**
     * @param version TLS version.
     * @param cipher a cipher (the inline engine implements AES-GCM and ChaCha20-Poly1305; the defaults offload
     *     AES-GCM only, as mlx5 does).
     * @return a copy that also offloads the pair.
     */
    public DeviceCapabilities with(final TlsVersion version, final TlsCipher cipher)
    {
        return new DeviceCapabilities(bits | bit(version, cipher));
    }

    /**
     * @param version TLS version.
     * @param cipher cipher.
     * @return whether the pair is offloaded.
     */
    public boolean supports(final TlsVersion version, final TlsCipher cipher)
    {
        return (bits & bit(version, cipher)) != 0;
    }

    /** @return the CAPABILITIES register value. */
    public long bits()
    {
        return bits;
    }

    private static long bit(final TlsVersion version, final TlsCipher cipher)
    {
        return 1L << (8 * version.ordinal() + cipher.ordinal());
    }
}
