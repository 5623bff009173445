package io.tlsnic.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The host-cost benchmark outside JMH: both modes move and check every byte, and each runs as it says. */
class HostCostBenchmarkTest
{
    @ParameterizedTest(name = "{0} {1} B")
    @CsvSource({"send, 64", "sendfile, 1024", "send, 4096", "sendfile, 16384"})
    void shouldDeliverEveryByteOffloadedAndInSoftware(final String api, final int recordLength) throws IOException
    {
        final HostCostBenchmark bench = benchmark(api, recordLength);
        try
        {
            final HostCostBenchmark.HostTime time = new HostCostBenchmark.HostTime();
            time.reset();
            bench.transfer(time);
            bench.transfer(time);
            bench.verify();
            assertEquals(2L * HostCostBenchmark.BYTES_PER_INVOCATION, time.applicationBytes);
        }
        finally
        {
            bench.tearDown();
        }
    }

    @Test
    void shouldRefuseAnUnknownApi()
    {
        assertThrows(IllegalArgumentException.class, () -> benchmark("splice", 64));
    }

    @Test
    void shouldScaleHostWallTimeByTheCpuShareTheThreadGot()
    {
        assertEquals(300.0, HostCostBenchmark.hostCpuNs(600, 2_000, 1_000), 1e-9, "descheduled half the time");
        assertEquals(600.0, HostCostBenchmark.hostCpuNs(600, 2_000, 2_100), 1e-9, "never above the wall clock");
        assertEquals(600.0, HostCostBenchmark.hostCpuNs(600, 2_000, 0), 1e-9, "no CPU clock: wall clock as is");
    }

    private static HostCostBenchmark benchmark(final String api, final int recordLength) throws IOException
    {
        final HostCostBenchmark bench = new HostCostBenchmark();
        bench.api = api;
        bench.recordLength = recordLength;
        bench.setUp();
        return bench;
    }
}
