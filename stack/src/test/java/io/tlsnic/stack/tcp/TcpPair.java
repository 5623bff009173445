package io.tlsnic.stack.tcp;

import java.util.SplittableRandom;

/** Test fixture: client {@code a} (port 40000) and server {@code b} (port 443) on a {@link TestWire}. */
final class TcpPair
{
    final TestWire wire;
    final TcpConnection a;
    final TcpConnection b;
    final TestEndpoint appA;
    final TestEndpoint appB;

    TcpPair(final long seed, final TcpConfig configA, final TcpConfig configB)
    {
        wire = new TestWire(seed);
        a = new TcpConnection(configA, 40000, 443, wire.scheduler, wire.aToB);
        b = new TcpConnection(configB, 443, 40000, wire.scheduler, wire.bToA);
        wire.attach(a, b);
        appA = new TestEndpoint(wire, a);
        appB = new TestEndpoint(wire, b);
    }

    TcpPair(final long seed, final TcpConfig config)
    {
        this(seed, config, config);
    }

    /** Starts the handshake with the given ISNs. */
    TcpPair open(final int issA, final int issB)
    {
        b.listen(issB);
        a.connect(issA);
        return this;
    }

    /** Runs until both connections are ESTABLISHED; fails the test otherwise. */
    TcpPair establish(final int issA, final int issB)
    {
        open(issA, issB);
        if (!wire.runUntil(() -> appA.established && appB.established, 60_000 * TestWire.MS))
        {
            throw new AssertionError("handshake did not complete: " + a + " / " + b);
        }
        return this;
    }

    static byte[] randomBytes(final long seed, final int length)
    {
        final byte[] data = new byte[length];
        final SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < length; i += 8)
        {
            long v = r.nextLong();
            for (int k = i; k < Math.min(length, i + 8); k++)
            {
                data[k] = (byte)v;
                v >>>= 8;
            }
        }
        return data;
    }
}
