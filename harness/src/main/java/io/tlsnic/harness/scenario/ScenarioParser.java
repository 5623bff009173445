package io.tlsnic.harness.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tlsnic.driver.DriverConfig;
import io.tlsnic.nic.NicConfig;
import io.tlsnic.nic.flow.DeviceCapabilities;
import io.tlsnic.nic.tls.RxResyncMode;
import io.tlsnic.wire.link.LinkFaults;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * Reads a scenario file (JSON). Every key is checked: an unknown key, a value of the wrong type or out of range, a
 * cipher the device cannot offload where the flow requires offload: each is one {@link ScenarioException} line naming
 * the file, the line and the key. Sections left out take the defaults ({@link Presets#defaultScenario()}).
 * <pre>
 * {
 *   "name": "mine", "seed": 7, "timeLimitSeconds": 3600,
 *   "link":   { "lossPercent": 1, "burstLength": 1, "duplicatePercent": 0, "reorderPercent": 0.5,
 *               "reorderDelayUs": 200, "jitterUs": 0, "corruptPercent": 0, "stealthCorruptPercent": 0,
 *               "latencyUs": 20, "gbps": 100 },
 *   "device": { "queues": 1, "contexts": 65536, "contextCache": 1024, "controlLatencyNs": 2000, "batch": 64,
 *               "offload": ["1.2/aes-128-gcm", "1.3/aes-256-gcm"], "rxResync": "device-request",
 *               "txResync": "rebuild", "txRing": 512, "rxRing": 512, "tsoBytes": 64000, "deviceRekey": true },
 *   "flows":  [ { "count": 2, "version": "1.3", "cipher": "aes-128-gcm", "workload": "bulk", "bytes": "4MiB",
 *                 "requestBytes": 512, "responseBytes": 16384, "offload": "auto", "keyUpdate": false } ]
 * }
 * </pre>
 */
public final class ScenarioParser
{
    private static final Set<String> TOP = Set.of("name", "seed", "timeLimitSeconds", "link", "device", "flows");
    private static final Set<String> LINK = Set.of("lossPercent", "burstLength", "duplicatePercent", "reorderPercent",
        "reorderDelayUs", "jitterUs", "corruptPercent", "stealthCorruptPercent", "latencyUs", "gbps");
    private static final Set<String> DEVICE = Set.of("queues", "contexts", "contextCache", "controlLatencyNs", "batch",
        "offload", "rxResync", "txResync", "txRing", "rxRing", "tsoBytes", "deviceRekey", "coalesceUs", "coalesceFrames");
    private static final Set<String> FLOW = Set.of("count", "version", "cipher", "workload", "bytes", "requestBytes",
        "responseBytes", "offload", "keyUpdate");
    private static final long MAX_FLOW_BYTES = 1L << 40;

    private final String file;
    private final Map<String, Integer> lines;

    private ScenarioParser(final String file, final Map<String, Integer> lines)
    {
        this.file = file;
        this.lines = lines;
    }

    /**
     * @param path a scenario file.
     * @return the scenario.
     * @throws ScenarioException for anything wrong with the file, one line.
     */
    public static Scenario parse(final Path path)
    {
        final String text;
        try
        {
            text = Files.readString(path);
        }
        catch (final NoSuchFileException e)
        {
            throw new ScenarioException(path + ": no such scenario file");
        }
        catch (final IOException e)
        {
            throw new ScenarioException(path + ": cannot read the scenario file: " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /**
     * @param name the file's name for messages.
     * @param text its content.
     * @return the scenario.
     * @throws ScenarioException for anything wrong, one line.
     */
    public static Scenario parse(final String name, final String text)
    {
        final JsonNode root;
        final Map<String, Integer> lines = new HashMap<>();
        try
        {
            root = new ObjectMapper().readTree(text);
            collectLines(text, lines);
        }
        catch (final JsonProcessingException e)
        {
            final int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            final String message = e.getOriginalMessage().split("\n", 2)[0];
            throw new ScenarioException(name + " line " + line + ": not valid JSON: " + message);
        }
        catch (final IOException e)
        {
            throw new ScenarioException(name + ": cannot read the scenario: " + e.getMessage());
        }
        if (root == null || !root.isObject())
        {
            throw new ScenarioException(name + " line 1: a scenario is a JSON object { ... }");
        }
        return new ScenarioParser(name, lines).scenario(root);
    }

    private Scenario scenario(final JsonNode root)
    {
        checkKeys(root, "", TOP);
        final Scenario d = Presets.defaultScenario();
        final String name = root.has("name") ? text(root, "", "name") : "scenario";
        final long seed = root.has("seed") ? integer(root, "", "seed", Long.MIN_VALUE, Long.MAX_VALUE) : d.seed();
        final long limit = root.has("timeLimitSeconds")
            ? integer(root, "", "timeLimitSeconds", 1, 1_000_000) * 1_000_000_000L : d.timeLimitNs();
        final LinkSpec link = root.has("link") ? link(object(root, "", "link"), seed) : d.withSeed(seed).link();
        final DeviceSpec device = root.has("device") ? device(object(root, "", "device")) : d.device();
        final List<FlowSpec> flows = new ArrayList<>();
        if (root.has("flows"))
        {
            final JsonNode array = root.get("flows");
            if (!array.isArray() || array.size() == 0)
            {
                throw error("flows", "must be a non-empty array of flow objects");
            }
            for (int i = 0; i < array.size(); i++)
            {
                final String at = "flows[" + i + "]";
                if (!array.get(i).isObject())
                {
                    throw error(at, "must be an object");
                }
                flows.add(flow(array.get(i), at, device.nic().capabilities()));
            }
        }
        else
        {
            flows.addAll(d.flows());
        }
        final Scenario s = new Scenario(name, seed, link, device, flows, limit);
        if (s.flowCount() > 1000)
        {
            throw error("flows", "at most 1000 flows in all, got " + s.flowCount());
        }
        return s;
    }

    private LinkSpec link(final JsonNode n, final long seed)
    {
        checkKeys(n, "link", LINK);
        final LinkFaults d = LinkSpec.lossy(1.0, seed).faults();
        final double loss = percent(n, "link", "lossPercent", d.lossPercent());
        final double burst = n.has("burstLength") ? number(n, "link", "burstLength", 1, 1000) : 1;
        final double duplicate = percent(n, "link", "duplicatePercent", d.duplicatePercent());
        final double reorder = percent(n, "link", "reorderPercent", d.reorderPercent());
        final long reorderDelay = n.has("reorderDelayUs")
            ? integer(n, "link", "reorderDelayUs", 0, 10_000_000) * 1000 : d.reorderDelayNs();
        final long jitter = n.has("jitterUs") ? integer(n, "link", "jitterUs", 0, 10_000_000) * 1000 : 0;
        final double corrupt = percent(n, "link", "corruptPercent", 0);
        final double stealth = percent(n, "link", "stealthCorruptPercent", 0);
        final long latency = n.has("latencyUs") ? integer(n, "link", "latencyUs", 0, 10_000_000) * 1000 : 20_000;
        final double gbps = n.has("gbps") ? number(n, "link", "gbps", 0.001, 10_000) : 100;
        return new LinkSpec(latency, gbps, new LinkFaults(loss, burst, duplicate, reorder, reorderDelay, jitter, corrupt,
            stealth, seed));
    }

    private DeviceSpec device(final JsonNode n)
    {
        checkKeys(n, "device", DEVICE);
        final DeviceSpec d = DeviceSpec.defaults();
        final NicConfig dn = d.nic();
        final DriverConfig dd = d.driver();
        final int queues = n.has("queues") ? (int)integer(n, "device", "queues", 1, 256) : dn.queues();
        final int contexts = n.has("contexts") ? (int)integer(n, "device", "contexts", 1, 16_000_000)
            : dn.contextCapacity();
        final int cache = n.has("contextCache") ? (int)integer(n, "device", "contextCache", 1, 16_000_000)
            : dn.contextCacheCapacity();
        final long control = n.has("controlLatencyNs") ? integer(n, "device", "controlLatencyNs", 0, 1_000_000_000)
            : dn.controlLatencyNs();
        final int batch = n.has("batch") ? (int)integer(n, "device", "batch", 1, 65536) : dn.batch();
        DeviceCapabilities caps = dn.capabilities();
        if (n.has("offload"))
        {
            final JsonNode list = n.get("offload");
            if (!list.isArray())
            {
                throw error("device.offload", "must be an array like [\"1.3/aes-128-gcm\"] (empty: no offload)");
            }
            caps = DeviceCapabilities.none();
            for (int i = 0; i < list.size(); i++)
            {
                final String at = "device.offload[" + i + "]";
                final String[] parts = list.get(i).asText().split("/", 2);
                if (!list.get(i).isTextual() || parts.length != 2)
                {
                    throw error(at, "must be \"VERSION/CIPHER\" like \"1.3/aes-128-gcm\", got " + list.get(i));
                }
                final TlsVersion version = version(parts[0], at);
                final TlsCipher cipher = cipher(parts[1], at);
                caps = caps.with(version, cipher);
            }
        }
        final RxResyncMode rx = n.has("rxResync") ? choice(n, "device", "rxResync", RxResyncMode.class)
            : dn.rxResyncMode();
        final DriverConfig.TxResyncStrategy tx = n.has("txResync")
            ? choice(n, "device", "txResync", DriverConfig.TxResyncStrategy.class) : dd.txResync();
        final int txRing = n.has("txRing") ? powerOfTwo(n, "txRing") : dd.txRingSize();
        final int rxRing = n.has("rxRing") ? powerOfTwo(n, "rxRing") : dd.rxRingSize();
        final int tso = n.has("tsoBytes") ? (int)integer(n, "device", "tsoBytes", 0, 65535) : dd.tsoMaxBytes();
        final boolean rekey = n.has("deviceRekey") ? bool(n, "device", "deviceRekey") : d.deviceRekey();
        final DriverConfig.Napi napi = n.has("coalesceUs") || n.has("coalesceFrames")
            ? DriverConfig.Napi.interrupts(
                n.has("coalesceUs") ? 1_000 * integer(n, "device", "coalesceUs", 0, 1_000_000)
                    : DriverConfig.Napi.DEFAULT_COALESCE_NS,
                n.has("coalesceFrames") ? (int)integer(n, "device", "coalesceFrames", 0, 65535)
                    : DriverConfig.Napi.DEFAULT_COALESCE_FRAMES)
            : dd.napi();
        final int completions = Integer.highestOneBit(txRing + rxRing - 1) << 1;
        return new DeviceSpec(new NicConfig(queues, contexts, cache, caps, control, batch, rx),
            new DriverConfig(txRing, rxRing, completions, dd.controlRingSize(), dd.rxBufferLength(), dd.napiBudget(),
                tso, tx, dd.softwarePolicyThreshold(), napi), rekey);
    }

    private FlowSpec flow(final JsonNode n, final String at, final DeviceCapabilities caps)
    {
        checkKeys(n, at, FLOW);
        final int count = n.has("count") ? (int)integer(n, at, "count", 1, 1000) : 1;
        final TlsVersion version = n.has("version") ? version(text(n, at, "version"), at + ".version")
            : TlsVersion.TLS_1_3;
        final TlsCipher cipher = n.has("cipher") ? cipher(text(n, at, "cipher"), at + ".cipher")
            : TlsCipher.AES_GCM_128;
        Workload workload = Workload.BULK;
        if (n.has("workload"))
        {
            workload = Workload.parse(text(n, at, "workload"));
            if (workload == null)
            {
                throw error(at + ".workload", "unknown workload " + n.get("workload") + " (known: bulk, "
                    + "request-response, small-writes, sendfile)");
            }
        }
        final long bytes = n.has("bytes") ? size(n, at, "bytes") : 4L << 20;
        final int request = n.has("requestBytes") ? (int)integer(n, at, "requestBytes", 1, 1 << 24) : 512;
        final int response = n.has("responseBytes") ? (int)integer(n, at, "responseBytes", 1, 1 << 24) : 16384;
        FlowSpec.Offload offload = FlowSpec.Offload.AUTO;
        if (n.has("offload"))
        {
            offload = choice(n, at, "offload", FlowSpec.Offload.class);
        }
        if (offload == FlowSpec.Offload.REQUIRED && !caps.supports(version, cipher))
        {
            throw error(at + ".offload", "\"required\", but the device does not offload " + version + " with "
                + cipher + " (unsupported cipher for the device; set \"offload\": \"auto\" to run it in software)");
        }
        final boolean keyUpdate = n.has("keyUpdate") && bool(n, at, "keyUpdate");
        if (keyUpdate && version != TlsVersion.TLS_1_3)
        {
            throw error(at + ".keyUpdate", "KeyUpdate exists only in TLS 1.3, this flow is " + version);
        }
        return new FlowSpec(count, version, cipher, workload, bytes, request, response, offload, keyUpdate);
    }

    /** @return the version for "1.2", "1.3", "TLS1.3", "tls 1.2". */
    static TlsVersion version(final String text, final String at)
    {
        final String t = text.toLowerCase(Locale.ROOT).replace("tls", "").replace("_", ".").replace("v", "").trim();
        if (t.equals("1.2"))
        {
            return TlsVersion.TLS_1_2;
        }
        if (t.equals("1.3"))
        {
            return TlsVersion.TLS_1_3;
        }
        throw new ScenarioException(at + ": unknown TLS version \"" + text + "\" (known: 1.2, 1.3)");
    }

    /** @return the cipher for "aes-128-gcm", "AES_GCM_128", "chacha20", "chacha20-poly1305" and the like. */
    static TlsCipher cipher(final String text, final String at)
    {
        final String t = text.toLowerCase(Locale.ROOT).replace('_', '-');
        switch (t)
        {
            case "aes-128-gcm":
            case "aes-gcm-128":
            case "aes128gcm":
                return TlsCipher.AES_GCM_128;
            case "aes-256-gcm":
            case "aes-gcm-256":
            case "aes256gcm":
                return TlsCipher.AES_GCM_256;
            case "chacha20":
            case "chacha20-poly1305":
                return TlsCipher.CHACHA20_POLY1305;
            default:
                throw new ScenarioException(at + ": unknown cipher \"" + text
                    + "\" (known: aes-128-gcm, aes-256-gcm, chacha20-poly1305)");
        }
    }

    /** @return bytes for 4096, "4096", "64KiB", "4 MiB", "1GiB", "100B". */
    static long parseSize(final String text)
    {
        final String t = text.trim().replace(" ", "");
        long unit = 1;
        String digits = t;
        final String[][] units = {{"GiB", "1073741824"}, {"MiB", "1048576"}, {"KiB", "1024"}, {"B", "1"}};
        for (final String[] u : units)
        {
            if (t.endsWith(u[0]))
            {
                unit = Long.parseLong(u[1]);
                digits = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 15)
        {
            return -1;
        }
        return Long.parseLong(digits) * unit;
    }

    private long size(final JsonNode n, final String at, final String key)
    {
        final JsonNode v = n.get(key);
        final long bytes = v.isIntegralNumber() ? v.asLong() : v.isTextual() ? parseSize(v.asText()) : -1;
        if (bytes < 1 || bytes > MAX_FLOW_BYTES)
        {
            throw error(at + "." + key, "must be a size from 1 B to 1 TiB like 4096 or \"4MiB\", got " + v);
        }
        return bytes;
    }

    private int powerOfTwo(final JsonNode n, final String key)
    {
        final long v = integer(n, "device", key, 2, 65536);
        if (Long.bitCount(v) != 1)
        {
            throw error("device." + key, "must be a power of two from 2 to 65536, got " + v);
        }
        return (int)v;
    }

    private double percent(final JsonNode n, final String at, final String key, final double otherwise)
    {
        return n.has(key) ? number(n, at, key, 0, 100) : otherwise;
    }

    private double number(final JsonNode n, final String at, final String key, final double min, final double max)
    {
        final JsonNode v = n.get(key);
        if (!v.isNumber())
        {
            throw error(join(at, key), "must be a number, got " + v);
        }
        final double d = v.asDouble();
        if (!(d >= min && d <= max))
        {
            throw error(join(at, key), (d < 0 ? "must not be negative" : "is out of range") + ": must be " + fmt(min)
                + ".." + fmt(max) + ", got " + v);
        }
        return d;
    }

    private long integer(final JsonNode n, final String at, final String key, final long min, final long max)
    {
        final JsonNode v = n.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong())
        {
            throw error(join(at, key), "must be a whole number, got " + v);
        }
        final long l = v.asLong();
        if (l < min || l > max)
        {
            throw error(join(at, key), (l < 0 && min >= 0 ? "must not be negative" : "is out of range") + ": must be "
                + min + ".." + max + ", got " + l);
        }
        return l;
    }

    private String text(final JsonNode n, final String at, final String key)
    {
        final JsonNode v = n.get(key);
        if (!v.isTextual())
        {
            throw error(join(at, key), "must be a string, got " + v);
        }
        return v.asText();
    }

    private boolean bool(final JsonNode n, final String at, final String key)
    {
        final JsonNode v = n.get(key);
        if (!v.isBoolean())
        {
            throw error(join(at, key), "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private JsonNode object(final JsonNode n, final String at, final String key)
    {
        final JsonNode v = n.get(key);
        if (!v.isObject())
        {
            throw error(join(at, key), "must be an object { ... }, got " + v);
        }
        return v;
    }

    private <E extends Enum<E>> E choice(final JsonNode n, final String at, final String key, final Class<E> type)
    {
        final String t = text(n, at, key).toUpperCase(Locale.ROOT).replace('-', '_');
        final Set<String> known = new TreeSet<>();
        for (final E e : type.getEnumConstants())
        {
            known.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            if (e.name().equals(t))
            {
                return e;
            }
        }
        throw error(join(at, key), "unknown value " + n.get(key) + " (known: " + String.join(", ", known) + ")");
    }

    private void checkKeys(final JsonNode n, final String at, final Set<String> known)
    {
        final Iterator<String> names = n.fieldNames();
        while (names.hasNext())
        {
            final String key = names.next();
            if (!known.contains(key))
            {
                throw error(join(at, key), "unknown key \"" + key + "\"" + (at.isEmpty() ? "" : " in " + at)
                    + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private ScenarioException error(final String path, final String message)
    {
        Integer line = lines.get(path);
        String p = path;
        while (line == null && p.contains("."))
        {
            p = p.substring(0, p.lastIndexOf('.'));
            line = lines.get(p);
        }
        if (line == null && p.contains("["))
        {
            line = lines.get(p.substring(0, p.indexOf('[')));
        }
        return new ScenarioException(file + (line == null ? "" : " line " + line) + ": " + path + ": " + message);
    }

    private static String join(final String at, final String key)
    {
        return at.isEmpty() ? key : at + "." + key;
    }

    private static String fmt(final double d)
    {
        return d == Math.rint(d) ? Long.toString((long)d) : Double.toString(d);
    }

    /** Records the line of every key, by path ("link.lossPercent", "flows[1].cipher"). */
    private static void collectLines(final String text, final Map<String, Integer> lines) throws IOException
    {
        try (JsonParser p = new JsonFactory().createParser(text))
        {
            final Deque<String> path = new ArrayDeque<>();
            final Deque<int[]> arrayIndex = new ArrayDeque<>();
            String pending = null;
            JsonToken t;
            while ((t = p.nextToken()) != null)
            {
                switch (t)
                {
                    case FIELD_NAME:
                        pending = join(path.isEmpty() ? "" : path.peek(), p.getCurrentName());
                        lines.put(pending, p.getCurrentLocation().getLineNr());
                        break;
                    case START_OBJECT:
                    case START_ARRAY:
                        final String here = pending != null ? pending : elementPath(path, arrayIndex);
                        path.push(here == null ? "" : here);
                        arrayIndex.push(new int[] {t == JsonToken.START_ARRAY ? 0 : -1});
                        pending = null;
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        path.pop();
                        arrayIndex.pop();
                        advance(arrayIndex);
                        break;
                    default:
                        if (pending == null)
                        {
                            advance(arrayIndex);
                        }
                        pending = null;
                        break;
                }
            }
        }
    }

    private static String elementPath(final Deque<String> path, final Deque<int[]> arrayIndex)
    {
        if (arrayIndex.isEmpty() || arrayIndex.peek()[0] < 0)
        {
            return path.isEmpty() ? "" : path.peek();
        }
        return path.peek() + "[" + arrayIndex.peek()[0] + "]";
    }

    private static void advance(final Deque<int[]> arrayIndex)
    {
        if (!arrayIndex.isEmpty() && arrayIndex.peek()[0] >= 0)
        {
            arrayIndex.peek()[0]++;
        }
    }
}
