package io.tlsnic.harness.scenario;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import net.openhft.chronicle.bytes.BytesStore;

import io.tlsnic.harness.handshake.BcSuites;
import io.tlsnic.harness.handshake.HandshakeOptions;
import io.tlsnic.harness.handshake.SelfSignedCertificate;
import io.tlsnic.harness.replay.CipherSuite;
import io.tlsnic.nic.Nic;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.FlowKey;
import io.tlsnic.nic.flow.TrackerState;
import io.tlsnic.stack.tls.KtlsSocket;
import io.tlsnic.stack.tls.TlsCounters;
import io.tlsnic.stack.tls.TlsStat;
import io.tlsnic.stack.tls.device.RecordClass;
import io.tlsnic.wire.frame.FrameParser;
import io.tlsnic.wire.frame.ParseStatus;
import io.tlsnic.wire.keys.KeyLogWriter;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.link.LinkPort;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Runs a {@link Scenario}: two hosts on the scenario's wire, every flow's TCP connection, Bouncy Castle handshake,
 * hand-over to kTLS (offloaded where the device supports it) and workload, until every flow is done, one fails
 * for good, the virtual time limit passes, or {@link #stop()} is called (Ctrl-C). Optionally records the wire as a
 * pcap (every frame as the sender put it on the wire, before the fault model), the NSS key log of every
 * connection, and a per-packet event log (JSON lines).
 */
public final class Simulation
{
    private static final String[] STATUS = {"not_decrypted", "decrypted", "resync_request", "error"};

    private final Scenario scenario;
    private final AtomicBoolean stop = new AtomicBoolean();
    private PcapWriter pcap;
    private KeyLogWriter keyLog;
    private BufferedWriter events;
    private LongConsumer progress = bytes -> { };
    private final List<Timeline[]> timelines = new ArrayList<>();

    /** @param scenario what to run. */
    public Simulation(final Scenario scenario)
    {
        this.scenario = scenario;
    }

    /** @param writer the wire's frames go here (closed by the caller). */
    public Simulation recordPcap(final PcapWriter writer)
    {
        this.pcap = writer;
        return this;
    }

    /** @param writer every connection's secrets go here, as the client's TLS library would log them. */
    public Simulation recordKeyLog(final KeyLogWriter writer)
    {
        this.keyLog = writer;
        return this;
    }

    /** @param writer per-packet events go here as JSON lines. */
    public Simulation recordEvents(final BufferedWriter writer)
    {
        this.events = writer;
        return this;
    }

    /** @param listener called now and then with the application bytes received so far (all flows, both ways). */
    public Simulation onProgress(final LongConsumer listener)
    {
        this.progress = listener;
        return this;
    }

    /** Asks a running simulation to stop at the next step; what was done is reported. Any thread. */
    public void stop()
    {
        stop.set(true);
    }

    /** @return per flow, the timelines of client-to-server and server-to-client (after {@link #run()}). */
    public List<Timeline[]> timelines()
    {
        return timelines;
    }

    /**
     * Runs the scenario.
     *
     * @return the report.
     */
    public SimulationReport run()
    {
        final LinkSpec l = scenario.link();
        try (Network net = new Network(scenario.device().nic(), scenario.device().driver(), l.latencyNs(),
            l.gigabitsPerSecond(), l.faults(), scenario.seed()))
        {
            final SelfSignedCertificate certificate = SelfSignedCertificate.ecdsaP256("tlsnic.test",
                HandshakeOptions.seededRandom(scenario.seed() ^ 0xCE27L));
            final List<SimFlow> flows = new ArrayList<>();
            final Map<Integer, Integer> flowByPort = new LinkedHashMap<>();
            int id = 0;
            for (final FlowSpec spec : scenario.flows())
            {
                for (int i = 0; i < spec.count(); i++)
                {
                    id++;
                    final SimFlow f = new SimFlow(net, id, spec, certificate, keyLog,
                        scenario.seed() * 1_000_003L + id, scenario.device().deviceRekey());
                    flows.add(f);
                    flowByPort.put(f.port, id);
                    timelines.add(new Timeline[] {new Timeline(), new Timeline()});
                }
            }
            observeDevices(net, flowByPort);
            net.link.setTap((from, frame, length, timeNs) -> onWire(net, from, frame, length, timeNs, flowByPort));
            final boolean[] observed = new boolean[flows.size()];
            final long[] steps = {0};
            final boolean finished = net.runFor(() ->
            {
                boolean all = true;
                for (final SimFlow f : flows)
                {
                    all &= f.step();
                    if (!observed[f.id - 1] && f.phase() == SimFlow.Phase.TRANSFER)
                    {
                        observed[f.id - 1] = true;
                        observeRecords(net, f);
                    }
                }
                if ((++steps[0] & 1023) == 0)
                {
                    progress.accept(received(flows));
                }
                return all || stop.get();
            }, scenario.timeLimitNs());
            progress.accept(received(flows));
            for (final SimFlow f : flows)
            {
                f.closeFiles();
            }
            return report(net, flows, finished && !stop.get());
        }
    }

    private static long received(final List<SimFlow> flows)
    {
        long n = 0;
        for (final SimFlow f : flows)
        {
            n += f.up.received + f.down.received;
        }
        return n;
    }

    private void observeDevices(final Network net, final Map<Integer, Integer> flowByPort)
    {
        // NIC B receives client-to-server (destination port = the flow's port); NIC A the answers.
        net.nicB.setRxTlsObserver((contextId, key, seq, length, status, state) ->
            onDeviceSegment(net, "b", key.dstPort(), 0, key, seq, length, status, state, flowByPort));
        net.nicA.setRxTlsObserver((contextId, key, seq, length, status, state) ->
            onDeviceSegment(net, "a", key.srcPort(), 1, key, seq, length, status, state, flowByPort));
    }

    private void onDeviceSegment(final Network net, final String host, final int port, final int direction,
        final FlowKey key, final long seq, final int length, final int status, final TrackerState state,
        final Map<Integer, Integer> flowByPort)
    {
        final Integer flow = flowByPort.get(port);
        if (flow == null)
        {
            return;
        }
        final long now = net.scheduler.nowNs();
        timelines.get(flow - 1)[direction].segment(now, seq, state.ordinal(), status);
        event("{\"timeNs\":" + now + ",\"event\":\"device_rx\",\"host\":\"" + host + "\",\"flow\":" + flow
            + ",\"direction\":\"" + (direction == 0 ? "c2s" : "s2c") + "\",\"tcpSeq\":" + seq + ",\"length\":"
            + length + ",\"status\":\"" + STATUS[status & 3] + "\",\"tracker\":\"" + state + "\"}");
    }

    private void observeRecords(final Network net, final SimFlow f)
    {
        observe(net, f, f.serverSocket(), 0);
        observe(net, f, f.clientSocket(), 1);
    }

    private void observe(final Network net, final SimFlow f, final KtlsSocket receiver, final int direction)
    {
        final Timeline t = timelines.get(f.id - 1)[direction];
        receiver.setRxRecordObserver((seq, number, recordClass, type, buf, off, len, padding) ->
        {
            final long now = net.scheduler.nowNs();
            t.record(now, recordClass.ordinal());
            event("{\"timeNs\":" + now + ",\"event\":\"record\",\"flow\":" + f.id + ",\"direction\":\""
                + (direction == 0 ? "c2s" : "s2c") + "\",\"tcpSeq\":" + seq + ",\"record\":" + number
                + ",\"contentType\":" + type + ",\"length\":" + len + ",\"class\":\""
                + recordClass.name().toLowerCase(Locale.ROOT) + "\"}");
        });
    }

    private long frames;
    private final FrameParser parser = new FrameParser();
    private final byte[] wireCopy = new byte[NicConfig.MAX_TX_FRAME];
    private final BytesStore<?, byte[]> wireStore = BytesStore.wrap(wireCopy);

    private void onWire(final Network net, final LinkPort from, final byte[] frame, final int length,
        final long timeNs, final Map<Integer, Integer> flowByPort)
    {
        frames++;
        try
        {
            if (pcap != null)
            {
                pcap.write(timeNs, frame, length);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        if (events == null || length > wireCopy.length)
        {
            return;
        }
        // The frame is the sender's: parse a copy in one buffer wrapped once (no BytesStore per frame).
        System.arraycopy(frame, 0, wireCopy, 0, length);
        if (parser.parseEthernet(wireStore, 0, length) != ParseStatus.OK)
        {
            return;
        }
        final boolean fromA = from == net.nicA;
        final Integer flow = flowByPort.get(fromA ? parser.destinationPort() : parser.sourcePort());
        event("{\"frame\":" + frames + ",\"timeNs\":" + timeNs + ",\"event\":\"wire\",\"from\":\"" + (fromA ? "a" : "b")
            + "\",\"flow\":" + (flow == null ? 0 : flow) + ",\"direction\":\"" + (fromA ? "c2s" : "s2c")
            + "\",\"tcpSeq\":" + parser.tcp().sequenceNumber() + ",\"length\":" + parser.payloadLength()
            + ",\"flags\":\"" + flags(parser.tcp().flags()) + "\"}");
    }

    private static String flags(final int f)
    {
        final StringBuilder b = new StringBuilder();
        final String names = "FSRPAU";
        for (int i = 0; i < 6; i++)
        {
            if ((f & (1 << i)) != 0)
            {
                b.append(names.charAt(i));
            }
        }
        return b.toString();
    }

    private void event(final String line)
    {
        if (events == null)
        {
            return;
        }
        try
        {
            events.write(line);
            events.newLine();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private SimulationReport report(final Network net, final List<SimFlow> flows, final boolean finished)
    {
        final List<SimulationReport.Flow> flowReports = new ArrayList<>();
        int done = 0;
        int failed = 0;
        for (final SimFlow f : flows)
        {
            final String client = net.a.address() + ":" + f.clientPort();
            final String server = net.b.address() + ":" + f.port;
            final List<SimulationReport.Direction> directions = new ArrayList<>();
            directions.add(direction(f, client, server, f.up, f.clientCounters, f.serverCounters,
                f.clientSession() == null ? 0 : f.clientSession().txGeneration()));
            directions.add(direction(f, server, client, f.down, f.serverCounters, f.clientCounters,
                f.serverSession() == null ? 0 : f.serverSession().txGeneration()));
            final String status = f.phase().name().toLowerCase(Locale.ROOT);
            done += f.phase() == SimFlow.Phase.DONE ? 1 : 0;
            failed += f.phase() == SimFlow.Phase.FAILED ? 1 : 0;
            flowReports.add(new SimulationReport.Flow(f.id, client, server, f.spec.version().label(),
                suiteName(f.spec.version(), f.spec.cipher()), f.spec.workload().label(), status, f.failure(),
                f.spec.keyUpdate(), directions));
        }
        final boolean complete = done == flows.size();
        final String verdict;
        if (complete)
        {
            verdict = "ok: " + flows.size() + " flows, every byte of " + scenario.totalBytes()
                + " application bytes arrived and matched";
        }
        else if (failed > 0)
        {
            verdict = "FAILED: " + failed + " of " + flows.size() + " flows failed";
        }
        else if (stop.get())
        {
            verdict = "interrupted: " + done + " of " + flows.size() + " flows done; every byte received so far matched";
        }
        else
        {
            verdict = "unfinished: " + done + " of " + flows.size() + " flows done within the virtual time limit";
        }
        final Map<String, Object> link = new LinkedHashMap<>();
        final LinkFaults faults = scenario.link().faults();
        link.put("latencyNs", scenario.link().latencyNs());
        link.put("gigabitsPerSecond", scenario.link().gigabitsPerSecond());
        link.put("lossPercent", faults.lossPercent());
        link.put("burstLength", faults.burstLength());
        link.put("duplicatePercent", faults.duplicatePercent());
        link.put("reorderPercent", faults.reorderPercent());
        link.put("reorderDelayNs", faults.reorderDelayNs());
        link.put("jitterNs", faults.jitterNs());
        link.put("corruptPercent", faults.corruptPercent());
        link.put("stealthCorruptPercent", faults.stealthCorruptPercent());
        final Map<String, Long> wire = new LinkedHashMap<>();
        wire.put("framesCarried", net.link.framesCarried());
        wire.put("framesDropped", net.link.framesDropped());
        wire.put("framesDuplicated", net.link.framesDuplicated());
        wire.put("framesReordered", net.link.framesReordered());
        wire.put("framesCorrupted", net.link.framesCorrupted());
        final Map<String, Map<String, Long>> devices = new LinkedHashMap<>();
        for (final Nic n : net.nics())
        {
            final Map<String, Long> counters = new LinkedHashMap<>();
            n.counters().snapshot().forEach((k, v) ->
            {
                if (v != 0)
                {
                    counters.put(k, v);
                }
            });
            devices.put(n.name(), counters);
        }
        return new SimulationReport(scenario.name(), scenario.seed(), link, flows.size(), scenario.totalBytes(),
            net.scheduler.nowNs(), complete && finished, stop.get(), verdict, wire, devices, flowReports);
    }

    private static SimulationReport.Direction direction(final SimFlow f, final String src, final String dst,
        final AppStream s, final TlsCounters sender, final TlsCounters receiver, final int keyUpdates)
    {
        final long device = receiver.get(TlsStat.TLS_RX_RECORD_DEVICE);
        final long mixed = receiver.get(TlsStat.TLS_RX_RECORD_MIXED);
        final long software = receiver.get(TlsStat.TLS_RX_RECORD_SW);
        final String verdict;
        if (s.wrong() != null)
        {
            verdict = "MISMATCH: " + s.wrong();
        }
        else if (s.complete())
        {
            verdict = "ok: " + s.received + " bytes exact";
        }
        else
        {
            verdict = "incomplete: " + s.received + " of " + s.total + " bytes arrived, all exact";
        }
        return new SimulationReport.Direction(src, dst, f.spec.version().label(),
            suiteName(f.spec.version(), f.spec.cipher()), s.received, s.complete() ? s.sha256Hex() : null, s.total,
            device + mixed + software, device, mixed, software,
            sender.get(TlsStat.TLS_TX_DEVICE) > 0 ? "device" : "software",
            receiver.get(TlsStat.TLS_RX_DEVICE) > 0 ? "device" : "software",
            receiver.get(TlsStat.TLS_RX_DEVICE_RESYNC), keyUpdates, verdict);
    }

    /** @return the IANA name of the suite the handshake offers (the only one) for the version and cipher. */
    static String suiteName(final TlsVersion version, final TlsCipher cipher)
    {
        return CipherSuite.fromCode(BcSuites.suite(version, cipher)).name();
    }
}
