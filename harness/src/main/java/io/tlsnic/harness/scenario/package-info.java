/**
 * Scenarios: two hosts, each with stack, driver and emulated NIC, on a link with seeded faults, running TLS flows whose
 * every byte is checked. {@link io.tlsnic.harness.scenario.LossRun} is the runner behind {@code tlsnic soak} and
 * {@code tlsnic sweep} (keys from a seed); {@link io.tlsnic.harness.scenario.Simulation} runs {@code tlsnic simulate}:
 * scenario files and presets, handshakes done by Bouncy Castle over the emulated TCP connections and handed over to
 * kTLS offload, application workloads, and what comes out (report, pcap, key log, event log, HTML charts).
 * The threaded runner behind the end-to-end benchmark ({@code ThreadedRun}) puts hosts and drivers on one thread,
 * NICs and link on another.
 */
package io.tlsnic.harness.scenario;
