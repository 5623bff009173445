package io.tlsnic.harness.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tlsnic.harness.replay.Captures;

/**
 * Test helper: a capture of one TCP connection, byte for byte as a test lays it out. The client opens it with a SYN,
 * the server answers SYN-ACK and never sends data; the client's stream is cut into segments at the offsets a test
 * names, in the order it names, so retransmissions, reordering and holes are where the test wants them. Raw IPv4
 * (link type 101), checksums zero (inspection does not check them).
 */
final class TinyCapture
{
    static final int CLIENT_IP = 0x0A000001;
    static final int SERVER_IP = 0x0A000002;
    static final int CLIENT_PORT = 40000;
    static final int SERVER_PORT = 443;
    static final long CLIENT_ISN = 0xFFFF_FF00L;

    private static final int LINKTYPE_RAW = 101;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH_ACK = 0x18;

    private final byte[] stream;
    private final List<byte[]> packets = new ArrayList<>();
    private final List<Integer> originalLengths = new ArrayList<>();

    private TinyCapture(final byte[] stream, final boolean handshake)
    {
        this.stream = stream;
        if (handshake)
        {
            add(Captures.ipv4Tcp(CLIENT_IP, CLIENT_PORT, SERVER_IP, SERVER_PORT, CLIENT_ISN, SYN, new byte[0]));
            add(Captures.ipv4Tcp(SERVER_IP, SERVER_PORT, CLIENT_IP, CLIENT_PORT, 7000, SYN | ACK, new byte[0]));
        }
    }

    /**
     * @param stream the client's byte stream.
     * @return a capture holding the handshake only.
     */
    static TinyCapture of(final byte[] stream)
    {
        return new TinyCapture(stream, true);
    }

    /**
     * @param stream the client's byte stream.
     * @return an empty capture that begins after the TCP handshake (no SYN).
     */
    static TinyCapture withoutHandshake(final byte[] stream)
    {
        return new TinyCapture(stream, false);
    }

    /**
     * @param ends where each segment ends, in stream order from offset 0; the last segment runs to the stream's end.
     * @return this, with the stream sent in order, cut at {@code ends}.
     */
    TinyCapture cutAt(final int... ends)
    {
        int from = 0;
        for (final int end : ends)
        {
            slice(from, end);
            from = end;
        }
        return slice(from, stream.length);
    }

    /**
     * @param from first stream offset.
     * @param to   stream offset after the segment.
     * @return this, with one more client segment carrying {@code [from, to)}.
     */
    TinyCapture slice(final int from, final int to)
    {
        add(Captures.ipv4Tcp(CLIENT_IP, CLIENT_PORT, SERVER_IP, SERVER_PORT, (CLIENT_ISN + 1 + from) & 0xFFFF_FFFFL, PSH_ACK,
            Arrays.copyOfRange(stream, from, to)));
        return this;
    }

    /**
     * @param from     first stream offset.
     * @param to       stream offset after the segment.
     * @param captured bytes of the packet kept in the file (the snaplen).
     * @return this, with one more client segment the snaplen cut.
     */
    TinyCapture cutBySnaplen(final int from, final int to, final int captured)
    {
        final byte[] whole = Captures.ipv4Tcp(CLIENT_IP, CLIENT_PORT, SERVER_IP, SERVER_PORT,
            (CLIENT_ISN + 1 + from) & 0xFFFF_FFFFL, PSH_ACK, Arrays.copyOfRange(stream, from, to));
        packets.add(Arrays.copyOf(whole, captured));
        originalLengths.add(whole.length);
        return this;
    }

    /**
     * @param path where to write the pcap.
     * @return {@code path}.
     * @throws IOException when it cannot be written.
     */
    Path write(final Path path) throws IOException
    {
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535)
            .putInt(LINKTYPE_RAW);
        file.writeBytes(header.array());
        for (int i = 0; i < packets.size(); i++)
        {
            final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(1_700_000_000 + i).putInt(0).putInt(packets.get(i).length).putInt(originalLengths.get(i));
            file.writeBytes(record.array());
            file.writeBytes(packets.get(i));
        }
        Files.write(path, file.toByteArray());
        return path;
    }

    /**
     * @param contentType record content type.
     * @param bodyLength  body bytes.
     * @return a record: header and a body of bytes that are no header (0xEE ...).
     */
    static byte[] record(final int contentType, final int bodyLength)
    {
        final byte[] record = new byte[5 + bodyLength];
        Arrays.fill(record, (byte)0xEE);
        record[0] = (byte)contentType;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte)(bodyLength >>> 8);
        record[4] = (byte)bodyLength;
        return record;
    }

    /**
     * @param bodyLength body bytes (at least 4).
     * @return a handshake record holding one whole plaintext ClientHello.
     */
    static byte[] clientHello(final int bodyLength)
    {
        final byte[] record = record(22, bodyLength);
        final int messageLength = bodyLength - 4;
        record[5] = 1;
        record[6] = (byte)(messageLength >>> 16);
        record[7] = (byte)(messageLength >>> 8);
        record[8] = (byte)messageLength;
        return record;
    }

    /**
     * @param parts byte arrays.
     * @return them one after the other.
     */
    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private void add(final byte[] packet)
    {
        packets.add(packet);
        originalLengths.add(packet.length);
    }
}
