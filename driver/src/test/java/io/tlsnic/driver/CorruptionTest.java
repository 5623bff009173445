package io.tlsnic.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Corruption on the wire never reaches the application: bit flips are caught by the checksums and recovered by
 * retransmission; corruption that keeps the checksum valid is caught by the record's tag and reported as EBADMSG.
 * (Every byte the application does receive is compared with what was sent.)
 */
class CorruptionTest
{
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverFromBitFlipsByRetransmissionWithEveryByteExact() throws IOException
    {
        final LinkFaults faults = new LinkFaults(1, 0, 1, 300_000, 5).withCorruption(2, 0);
        try (NicHosts net = new NicHosts(NicConfig.defaults(), faults, 5, false))
        {
            final OffloadTransferTest.Session s = new OffloadTransferTest.Session(net, TlsVersion.TLS_1_3,
                TlsCipher.AES_GCM_256, 2 << 20, 9, dir, true);
            s.transfer(3600 * SECOND);
            assertTrue(net.link.framesCorrupted() > 20, "frames corrupted: " + net.link.framesCorrupted());
            assertTrue(net.nicA.counters().get(NicCounters.RX_CSUM_BAD)
                + net.nicB.counters().get(NicCounters.RX_CSUM_BAD) > 0, "the devices saw bad checksums");
        }
    }

    @Test
    void shouldReportEbadmsgAndNeverDeliverCorruptionTheChecksumCannotSee() throws IOException
    {
        int ebadmsg = 0;
        for (int seed = 0; seed < 4; seed++)
        {
            final LinkFaults faults = LinkFaults.none().withCorruption(0, 1);
            try (NicHosts net = new NicHosts(NicConfig.defaults(), new LinkFaults(faults.lossPercent(), 1, 0, 0, 0, 0,
                0, 1, seed), seed, false))
            {
                final OffloadTransferTest.Session s = new OffloadTransferTest.Session(net, TlsVersion.TLS_1_2,
                    TlsCipher.AES_GCM_128, 1 << 20, 20 + seed, dir, true);
                try
                {
                    s.transfer(3600 * SECOND);
                }
                catch (final TlsErrnoException e)
                {
                    assertEquals(Errno.EBADMSG, e.errno(), e.getMessage());
                    ebadmsg++;
                }
                catch (final AssertionError e)
                {
                    // A wrong byte would be an AssertionError from AppTraffic: never acceptable.
                    assertTrue(e.getMessage().startsWith("transfer done"), "wrong bytes reached the application: "
                        + e.getMessage());
                    ebadmsg++; // the transfer stopped because a socket's read failed with EBADMSG before the end
                }
            }
        }
        assertTrue(ebadmsg > 0, "the tag caught at least one checksum-invisible corruption");
    }
}
