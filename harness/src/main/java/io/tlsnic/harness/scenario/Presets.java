package io.tlsnic.harness.scenario;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/** Scenarios that come with the tool. */
public final class Presets
{
    private static final long MIB = 1 << 20;
    private static final long HOUR = 3_600_000_000_000L;

    private Presets()
    {
    }

    /**
     * The default: 8 flows, TLS 1.3 and 1.2 mixed, every workload, 64 MiB of application data in all, 1 % loss and
     * 0.5 % reordering on the wire. The ChaCha20 flow runs in software kTLS (the device's inline engine is AES-GCM).
     *
     * @return the default scenario.
     */
    public static Scenario defaultScenario()
    {
        return new Scenario("default", 1, LinkSpec.lossy(1.0, 1), DeviceSpec.defaults(), List.of(
            FlowSpec.bulk(3, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 4 * MIB),
            new FlowSpec(1, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, Workload.REQUEST_RESPONSE, 8 * MIB, 512, 16384,
                FlowSpec.Offload.AUTO, false),
            FlowSpec.bulk(2, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, 4 * MIB),
            FlowSpec.bulk(1, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 4 * MIB).withWorkload(Workload.SENDFILE),
            FlowSpec.bulk(1, TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, 4 * MIB)
                .withWorkload(Workload.SMALL_WRITES)), HOUR);
    }

    /** @return every preset by name. */
    public static Map<String, Scenario> all()
    {
        final Map<String, Scenario> presets = new TreeMap<>();
        final Scenario d = defaultScenario();
        presets.put("default", d);
        presets.put("clean", rename(d.withLink(LinkSpec.clean(d.seed())), "clean"));
        presets.put("lossy", rename(d.withLink(LinkSpec.lossy(5, d.seed())), "lossy"));
        presets.put("keyupdate", new Scenario("keyupdate", 1, LinkSpec.lossy(1.0, 1), DeviceSpec.defaults(), List.of(
            FlowSpec.bulk(2, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, 4 * MIB).withKeyUpdate(),
            FlowSpec.bulk(1, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, 4 * MIB).withKeyUpdate(),
            FlowSpec.bulk(1, TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, 4 * MIB).withKeyUpdate()), HOUR));
        presets.put("handshakes", new Scenario("handshakes", 1, LinkSpec.clean(1), DeviceSpec.defaults(), List.of(
            FlowSpec.bulk(1, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_128, MIB),
            FlowSpec.bulk(1, TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, MIB),
            FlowSpec.bulk(1, TlsVersion.TLS_1_2, TlsCipher.CHACHA20_POLY1305, MIB),
            FlowSpec.bulk(1, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_128, MIB),
            FlowSpec.bulk(1, TlsVersion.TLS_1_3, TlsCipher.AES_GCM_256, MIB),
            FlowSpec.bulk(1, TlsVersion.TLS_1_3, TlsCipher.CHACHA20_POLY1305, MIB)), HOUR));
        return presets;
    }

    /** @return the preset's one-line description. */
    public static String describe(final String name)
    {
        switch (name)
        {
            case "default":
                return "8 flows (TLS 1.3 and 1.2; bulk, request-response, sendfile, small writes), 64 MiB, 1% loss";
            case "clean":
                return "the default on a clean wire (no loss, no reordering)";
            case "lossy":
                return "the default with 5% loss";
            case "keyupdate":
                return "4 TLS 1.3 bulk flows, each with a KeyUpdate both ways halfway, 1% loss";
            case "handshakes":
                return "one 1 MiB bulk flow per version x cipher, clean wire";
            default:
                return "";
        }
    }

    private static Scenario rename(final Scenario s, final String name)
    {
        return new Scenario(name, s.seed(), s.link(), s.device(), s.flows(), s.timeLimitNs());
    }
}
