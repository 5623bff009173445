package io.tlsnic.harness.scenario;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.tls.RxResyncMode;

/**
 * The NICs' and drivers' parameters (both hosts alike).
 *
 * @param nic device parameters: queues, context table and cache, capabilities, resync mode.
 * @param driver driver parameters: ring sizes, TSO, TX resync strategy.
 * @param deviceRekey whether a TLS 1.3 KeyUpdate on an offloaded direction goes through (TX: drain, then a new
 *     device context; RX: the rest in software), an emulator extension; false: refused with EBUSY, as in Linux.
 */
public record DeviceSpec(NicConfig nic, DriverConfig driver, boolean deviceRekey)
{
    /**
     * @return the defaults: AES-GCM TLS 1.2/1.3 offload, 65536 contexts, device-requested RX resync, TX rebuild,
     *     device rekey on.
     */
    public static DeviceSpec defaults()
    {
        return new DeviceSpec(new NicConfig(1, 65536, 1024, DeviceCapabilities.defaults(), 2_000, 64,
            RxResyncMode.DEVICE_REQUEST), DriverConfig.defaults(), true);
    }
}
