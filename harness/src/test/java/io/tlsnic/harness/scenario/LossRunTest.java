package io.tlsnic.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** The device's share of records falls as loss rises, and every byte stays exact (the sweep's claim). */
class LossRunTest
{
    @Test
    void shouldDecryptAShrinkingShareOnTheDeviceAsLossRises()
    {
        double previous = 101;
        for (final double loss : new double[] {0, 1, 3, 6})
        {
            final LossRun.Result r = LossRun.run(NicConfig.defaults(), DriverConfig.defaults(),
                new LinkFaults(loss, 0, 1, 200_000, 3), TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 4, 1 << 20, 3);
            final double share = 100.0 * r.recordsDevice() / r.records();
            assertTrue(share < previous, "device share " + share + "% at " + loss + "% loss, was " + previous);
            previous = share;
        }
    }
}
