package io.tlsnic.harness.scenario;

import io.tlsnic.stack.tcp.TcpConfig;
import io.tlsnic.stack.tcp.TcpConnection;
import io.tlsnic.stack.tcp.TcpState;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * One TLS connection between the two hosts of a deterministic {@link Network}: the TCP connection is opened on the
 * virtual clock, then a {@link BulkFlow} (kTLS on both ends with keys from a seed) sends {@code bytes} each way in
 * full-size records of a {@link PatternData}, and the receivers check every byte without keeping a copy.
 */
final class Flow
{
    private static final long SECOND = 1_000_000_000L;

    private final BulkFlow bulk;

    /** A byte the application received differs from the byte sent: the one thing that must never happen. */
    static final class WrongBytesException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        WrongBytesException(final String message)
        {
            super(message, null, false, false);
        }
    }

    Flow(final Network net, final PatternData data, final TlsVersion version, final TlsCipher cipher, final long bytes,
        final long seed)
    {
        final int port = net.nextPort();
        final TcpConnection[] accepted = new TcpConnection[1];
        net.b.listen(port, TcpConfig.defaults(), c -> accepted[0] = c);
        final TcpConnection c = net.a.connect(net.b.address(), port, TcpConfig.defaults());
        if (!net.runFor(() -> c.state() == TcpState.ESTABLISHED && accepted[0] != null
            && accepted[0].state() == TcpState.ESTABLISHED, 600 * SECOND))
        {
            throw new IllegalStateException("TCP connection on port " + port + " did not establish");
        }
        bulk = new BulkFlow(net.a, c, net.b, accepted[0], data, version, cipher, bytes, seed);
    }

    /** One step: write what the sockets take, read and check what arrived. @return whether all arrived. */
    boolean step()
    {
        bulk.step();
        return bulk.done();
    }

    long recordsDevice()
    {
        return count(TlsStat.TLS_RX_RECORD_DEVICE);
    }

    long recordsMixed()
    {
        return count(TlsStat.TLS_RX_RECORD_MIXED);
    }

    long recordsSoftware()
    {
        return count(TlsStat.TLS_RX_RECORD_SW);
    }

    private long count(final TlsStat stat)
    {
        return bulk.countersA.get(stat) + bulk.countersB.get(stat);
    }
}
