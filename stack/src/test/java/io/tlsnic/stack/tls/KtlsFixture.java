package io.tlsnic.stack.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import org.junit.jupiter.api.function.Executable;

import io.tlsnic.wire.crypto.RecordCipher;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;

/**
 * A kTLS socket {@code a} over a {@link PipeTransport} to {@code b}; {@code b} is either a second kTLS socket or a
 * raw endpoint that the test reads and writes record bytes on. Keys from a seeded random.
 */
final class KtlsFixture
{
    final Suite suite;
    final Random random;
    final TlsCounters counters = new TlsCounters();
    final PipeTransport rawA;
    final PipeTransport rawB;
    final KtlsSocket a;
    final KtlsSocket b;
    final CryptoInfo aToB;
    final CryptoInfo bToA;

    private KtlsFixture(
        final Suite suite, final long seed, final int sendBuffer, final PipeTransport.Chunker chunker,
        final boolean bothTls)
    {
        this.suite = suite;
        this.random = new Random(seed);
        final PipeTransport[] pipe = PipeTransport.pair(sendBuffer, chunker);
        rawA = pipe[0];
        rawB = pipe[1];
        aToB = suite.randomInfo(random, 0);
        bToA = suite.randomInfo(random, 0);
        a = new KtlsSocket(rawA, counters);
        install(a, aToB, bToA);
        b = bothTls ? new KtlsSocket(rawB, counters) : null;
        if (bothTls)
        {
            install(b, bToA, aToB);
        }
    }

    /** {@code a} with TLS both ways; {@code b} raw. */
    static KtlsFixture withRawPeer(final Suite suite, final long seed, final PipeTransport.Chunker chunker)
    {
        return new KtlsFixture(suite, seed, 1 << 22, chunker, false);
    }

    /** Both ends kTLS. */
    static KtlsFixture connected(
        final Suite suite, final long seed, final int sendBuffer, final PipeTransport.Chunker chunker)
    {
        return new KtlsFixture(suite, seed, sendBuffer, chunker, true);
    }

    static void install(final KtlsSocket socket, final CryptoInfo tx, final CryptoInfo rx)
    {
        socket.setUlp("tls");
        socket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_TX, tx.toBytes());
        socket.setsockopt(Ktls.SOL_TLS, Ktls.TLS_RX, rx.toBytes());
    }

    void pump()
    {
        PipeTransport.pump(rawA, rawB);
    }

    /** @return the wire bytes {@code a} sent, delivered and drained at {@code b}. */
    byte[] wireFromA()
    {
        pump();
        return rawB.drain();
    }

    /** A sealer for records from the raw {@code b} to {@code a}, numbered from 0. */
    RawSender rawSender()
    {
        return new RawSender(bToA, rawB);
    }

    /** Reads everything {@code socket} has now (until EAGAIN) with the given buffer size. */
    static byte[] readAvailable(final KtlsSocket socket, final int bufferSize)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] buf = new byte[bufferSize];
        while (true)
        {
            final int n;
            try
            {
                n = socket.recv(buf, 0, buf.length, Ktls.MSG_DONTWAIT);
            }
            catch (final TlsErrnoException e)
            {
                assertEquals(Errno.EAGAIN, e.errno(), e.getMessage());
                return out.toByteArray();
            }
            if (n == 0)
            {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
        }
    }

    static TlsErrnoException assertErrno(final Errno errno, final Executable call)
    {
        final TlsErrnoException e = assertThrows(TlsErrnoException.class, call);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    static TlsErrnoException assertErrno(final Errno errno, final String contains, final Executable call)
    {
        final TlsErrnoException e = assertErrno(errno, call);
        assertTrue(e.getMessage().contains(contains), () -> "\"" + e.getMessage() + "\" lacks \"" + contains + "\"");
        return e;
    }

    /** Seals records by hand (with the wire RecordCipher) and writes them raw. */
    static final class RawSender
    {
        final RecordCipher cipher;
        final PipeTransport transport;
        long seq;

        RawSender(final CryptoInfo info, final PipeTransport transport)
        {
            this.cipher = new RecordCipher(info.version(), info.cipher(), info.key(), info.salt(), info.iv(),
                info.recSeq());
            this.transport = transport;
            this.seq = info.recSeq();
        }

        byte[] seal(final int type, final byte[] content, final int padding)
        {
            final byte[] out = new byte[cipher.sealedLength(content.length, padding)];
            cipher.seal(seq++, type, content, 0, content.length, padding, out, 0);
            return out;
        }

        byte[] send(final int type, final byte[] content)
        {
            return write(seal(type, content, 0));
        }

        byte[] write(final byte[] bytes)
        {
            assertEquals(bytes.length, transport.send(bytes, 0, bytes.length));
            return bytes;
        }
    }

    byte[] randomBytes(final int n)
    {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
