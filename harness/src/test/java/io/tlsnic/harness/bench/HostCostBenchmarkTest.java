package io.tlsnic.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The host-cost benchmark outside JMH: it moves and checks every byte, and each mode runs as it says. */
class HostCostBenchmarkTest
{
    @ParameterizedTest(name = "{0} {1} {2} B")
    @CsvSource({"offload, send, 64", "software, send, 64", "offload, sendfile, 16384", "software, sendfile, 16384",
        "offload, send, 4096", "software, sendfile, 1024"})
    void shouldDeliverEveryByteInTheModeItNames(final String mode, final String api, final int recordLength)
        throws IOException
    {
        final HostCostBenchmark bench = benchmark(mode, api, recordLength);
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
    void shouldRefuseAnUnknownModeOrApi()
    {
        assertThrows(IllegalArgumentException.class, () -> benchmark("hardware", "send", 64));
        assertThrows(IllegalArgumentException.class, () -> benchmark("offload", "splice", 64));
    }

    private static HostCostBenchmark benchmark(final String mode, final String api, final int recordLength)
        throws IOException
    {
        final HostCostBenchmark bench = new HostCostBenchmark();
        bench.mode = mode;
        bench.api = api;
        bench.recordLength = recordLength;
        bench.setUp();
        return bench;
    }
}
