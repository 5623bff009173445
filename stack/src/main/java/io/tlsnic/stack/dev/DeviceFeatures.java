package io.tlsnic.stack.dev;

/**
 * What a device offers the stack ({@code netdev_features_t} in spirit).
 *
 * @param mtu IP MTU in bytes (1500 for Ethernet).
 * @param tsoMaxBytes largest TSO payload the device segments, 0 when it does not do TSO.
 * @param rxChecksum whether the device verifies TCP checksums on receive (bad ones are then dropped or flagged).
 * @param txChecksum whether the device computes TCP checksums on transmit ({@code NETIF_F_HW_CSUM}): the stack then
 *     leaves the checksum to it ({@code CHECKSUM_PARTIAL}) and hands it headers and payload as separate buffers.
 * @param napi whether the device hands received frames over in polls and ends each with
 *     {@link RxHandler#onPollEnd()} (NAPI): the stack may then hold frames within a poll to merge them (GRO).
 * @param tls TLS offload capabilities.
 */
public record DeviceFeatures(int mtu, int tsoMaxBytes, boolean rxChecksum, boolean txChecksum, boolean napi,
    TlsOffloadCapabilities tls)
{
    /** @return a plain Ethernet device: MTU 1500, no TSO, no checksum offload, no polls, no TLS offload. */
    public static DeviceFeatures plain()
    {
        return new DeviceFeatures(1500, 0, false, false, false, TlsOffloadCapabilities.none());
    }

    /** @return whether the device segments TSO super-frames. */
    public boolean tso()
    {
        return tsoMaxBytes > 0;
    }
}
