package io.tlsnic.harness.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tlsnic.harness.cli.CliRun;

/**
 * Test helpers: the third-party captures, writing pcap / pcapng files with any link type, building IPv4/TCP packets,
 * and running the CLI with its output captured.
 */
public final class Captures
{
    static final int DLT_NULL = 0;
    static final int DLT_EN10MB = 1;
    static final int LINKTYPE_RAW = 101;
    static final int DLT_LOOP = 108;
    static final int DLT_LINUX_SLL = 113;
    static final int DLT_LINUX_SLL2 = 276;

    private Captures()
    {
    }

    /** One packet of a capture: its bytes as captured and its length on the wire. */
    record Packet(byte[] data, int originalLength)
    {
        Packet(final byte[] data)
        {
            this(data, data.length);
        }
    }

    static Path vectors(final String relative)
    {
        final String configured = System.getProperty("tlsnic.vectors");
        Path base = configured != null ? Paths.get(configured) : null;
        if (base == null || !Files.isDirectory(base))
        {
            Path dir = Paths.get("").toAbsolutePath();
            while (dir != null && !Files.isDirectory(dir.resolve("vectors")))
            {
                dir = dir.getParent();
            }
            base = dir.resolve("vectors");
        }
        return base.resolve(relative);
    }

    static Path external(final String name)
    {
        return vectors("external-pcaps/" + name);
    }

    /** @return the command line run in this JVM: exit code and what it printed. */
    static CliRun tlsnic(final String... args)
    {
        return CliRun.of(args);
    }

    /** @return the packets of a capture with their link header stripped to the IP header. */
    static List<byte[]> ipPackets(final Path capture)
    {
        final List<byte[]> packets = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            final int linkLength = reader.linkType() == LinkType.NULL ? 4 : reader.linkType() == LinkType.ETHERNET
                ? 14 : 0;
            for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next())
            {
                packets.add(Arrays.copyOfRange(frame.data(), linkLength, frame.data().length));
            }
        }
        return packets;
    }

    /** @return the packets of a capture as they are in the file (link header included). */
    static List<Packet> packets(final Path capture)
    {
        final List<Packet> packets = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next())
            {
                packets.add(new Packet(frame.data(), frame.originalLength()));
            }
        }
        return packets;
    }

    static byte[] withLinkHeader(final int linkType, final byte[] ip)
    {
        final int etherType = (ip[0] & 0xF0) == 0x60 ? 0x86DD : 0x0800;
        final ByteBuffer out;
        switch (linkType)
        {
            case DLT_EN10MB:
                out = ByteBuffer.allocate(14 + ip.length);
                out.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short)etherType);
                break;
            case DLT_LINUX_SLL:
                out = ByteBuffer.allocate(16 + ip.length);
                out.putShort((short)0).putShort((short)1).putShort((short)6)
                    .put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0}).putShort((short)etherType);
                break;
            case DLT_LINUX_SLL2:
                out = ByteBuffer.allocate(20 + ip.length);
                out.putShort((short)etherType).putShort((short)0).putInt(1).putShort((short)1).put((byte)0)
                    .put((byte)6).put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0});
                break;
            case DLT_NULL:
                out = ByteBuffer.allocate(4 + ip.length).order(ByteOrder.LITTLE_ENDIAN);
                out.putInt(etherType == 0x0800 ? 2 : 30);
                break;
            case DLT_LOOP:
                out = ByteBuffer.allocate(4 + ip.length);
                out.putInt(etherType == 0x0800 ? 2 : 24);
                break;
            default:
                out = ByteBuffer.allocate(ip.length);
                break;
        }
        return out.order(ByteOrder.BIG_ENDIAN).put(ip).array();
    }

    static void writePcap(final Path path, final int linkType, final List<Packet> packets) throws IOException
    {
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535)
            .putInt(linkType);
        file.writeBytes(header.array());
        int second = 1_700_000_000;
        for (final Packet packet : packets)
        {
            final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(second++).putInt(0).putInt(packet.data().length).putInt(packet.originalLength());
            file.writeBytes(record.array());
            file.writeBytes(packet.data());
        }
        Files.write(path, file.toByteArray());
    }

    static void writePcapng(final Path path, final int linkType, final List<Packet> packets) throws IOException
    {
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final ByteBuffer shb = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short)1).putShort((short)0).putLong(-1)
            .putInt(28);
        file.writeBytes(shb.array());
        final ByteBuffer idb = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        idb.putInt(1).putInt(20).putShort((short)linkType).putShort((short)0).putInt(65535).putInt(20);
        file.writeBytes(idb.array());
        long micros = 1_700_000_000_000_000L;
        for (final Packet packet : packets)
        {
            final int padded = (packet.data().length + 3) & ~3;
            final int length = 32 + padded;
            final ByteBuffer epb = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            epb.putInt(6).putInt(length).putInt(0).putInt((int)(micros >>> 32)).putInt((int)micros)
                .putInt(packet.data().length).putInt(packet.originalLength()).put(packet.data());
            epb.position(28 + padded);
            epb.putInt(length);
            file.writeBytes(epb.array());
            micros += 1000;
        }
        Files.write(path, file.toByteArray());
    }

    /** @return an IPv4 + TCP packet (checksums left zero: replay does not check them). */
    public static byte[] ipv4Tcp(final int srcIp, final int srcPort, final int dstIp, final int dstPort, final long seq,
        final int flags, final byte[] payload)
    {
        final ByteBuffer out = ByteBuffer.allocate(40 + payload.length);
        out.put((byte)0x45).put((byte)0).putShort((short)(40 + payload.length)).putShort((short)1)
            .putShort((short)0x4000).put((byte)64).put((byte)6).putShort((short)0).putInt(srcIp).putInt(dstIp);
        out.putShort((short)srcPort).putShort((short)dstPort).putInt((int)seq).putInt(0).put((byte)0x50)
            .put((byte)flags).putShort((short)65535).putShort((short)0).putShort((short)0).put(payload);
        return out.array();
    }
}
