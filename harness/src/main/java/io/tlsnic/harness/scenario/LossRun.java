package io.tlsnic.harness.scenario;

import java.util.ArrayList;
import java.util.List;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.stats.NicCounters;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Runs TLS flows over the two hosts until every byte has arrived and been checked, and sums what the devices and
 * sockets counted.
 */
public final class LossRun
{
    private static final long SECOND = 1_000_000_000L;

    /** What one run counted. */
    public record Result(long recordsDevice, long recordsMixed, long recordsSoftware, long resyncRequests,
        long dumpPackets, long fallbackPackets, long virtualNs)
    {
        /** @return all records received. */
        public long records()
        {
            return recordsDevice + recordsMixed + recordsSoftware;
        }
    }

    private LossRun()
    {
    }

    /**
     * @param nic device parameters.
     * @param driver driver parameters.
     * @param faults link faults.
     * @param version TLS version of every flow.
     * @param cipher cipher of every flow.
     * @param streams flows at once.
     * @param bytes bytes each flow sends each way.
     * @param seed seed of keys, data and TCP.
     * @return the counts.
     * @throws Flow.WrongBytesException if any received byte differs from the byte sent.
     */
    public static Result run(final NicConfig nic, final DriverConfig driver, final LinkFaults faults,
        final TlsVersion version, final TlsCipher cipher, final int streams, final long bytes, final long seed)
    {
        try (Network net = new Network(nic, driver, faults, seed))
        {
            final PatternData data = new PatternData(seed);
            final List<Flow> flows = new ArrayList<>();
            for (int i = 0; i < streams; i++)
            {
                flows.add(new Flow(net, data, version, cipher, bytes, seed * 1_000_003L + i));
            }
            final boolean done = net.runFor(() ->
            {
                boolean all = true;
                for (final Flow f : flows)
                {
                    all &= f.step();
                }
                return all;
            }, 36_000 * SECOND);
            if (!done)
            {
                throw new IllegalStateException("flows did not finish within 10 virtual hours (seed " + seed + ")");
            }
            long device = 0;
            long mixed = 0;
            long software = 0;
            for (final Flow f : flows)
            {
                device += f.recordsDevice();
                mixed += f.recordsMixed();
                software += f.recordsSoftware();
            }
            long requests = 0;
            long dumps = 0;
            for (final Nic n : net.nics())
            {
                requests += n.counters().get(NicCounters.RX_TLS_RESYNC_REQ_START);
                dumps += n.counters().get(NicCounters.TX_TLS_DUMP_PACKETS);
            }
            final long fallbacks = net.driverA.counter(io.tlsnic.driver.DriverCounter.TX_TLS_FALLBACK_PACKETS)
                + net.driverB.counter(io.tlsnic.driver.DriverCounter.TX_TLS_FALLBACK_PACKETS);
            return new Result(device, mixed, software, requests, dumps, fallbacks, net.scheduler.nowNs());
        }
    }
}
