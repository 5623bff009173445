package io.tlsnic.harness.scenario;

import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * One kind of flow in a scenario.
 *
 * @param count how many such flows.
 * @param version TLS version of the handshake (the only one offered).
 * @param cipher record cipher (the only suite offered).
 * @param workload what the application does.
 * @param bytes application bytes each way (request-response: the responses' total; requests are
 *     {@code requestBytes} each).
 * @param requestBytes request size for request-response.
 * @param responseBytes response size for request-response.
 * @param offload whether the flow's record layer goes to the device.
 * @param keyUpdate TLS 1.3 only: the client sends a KeyUpdate asking the server to update too, halfway through.
 */
public record FlowSpec(int count, TlsVersion version, TlsCipher cipher, Workload workload, long bytes,
    int requestBytes, int responseBytes, Offload offload, boolean keyUpdate)
{
    /** Whether a flow's record layer is offloaded. */
    public enum Offload
    {
        /** Offloaded where the device supports the version and cipher, software kTLS otherwise. */
        AUTO,
        /** Must be offloaded: a scenario whose device cannot is rejected. */
        REQUIRED,
        /** Software kTLS. */
        OFF
    }

    /** @return a bulk flow of {@code bytes} each way, offloaded where possible, no KeyUpdate. */
    public static FlowSpec bulk(final int count, final TlsVersion version, final TlsCipher cipher, final long bytes)
    {
        return new FlowSpec(count, version, cipher, Workload.BULK, bytes, 256, 16384, Offload.AUTO, false);
    }

    /** @return this spec with a KeyUpdate halfway. */
    public FlowSpec withKeyUpdate()
    {
        return new FlowSpec(count, version, cipher, workload, bytes, requestBytes, responseBytes, offload, true);
    }

    /** @return this spec with another workload. */
    public FlowSpec withWorkload(final Workload w)
    {
        return new FlowSpec(count, version, cipher, w, bytes, requestBytes, responseBytes, offload, keyUpdate);
    }
}
