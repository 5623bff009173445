package io.tlsnic.harness.scenario;

import java.util.List;
import java.util.Map;

/**
 * What a scenario run produced; written as {@code report.json}. The flow directions carry the same fields as
 * {@code tlsnic replay}'s report ({@code src}, {@code dst}, {@code plaintextBytes}, {@code plaintextSha256},
 * {@code records}, {@code recordsDevice}, {@code recordsMixed}, {@code recordsSoftware}), so one script reads both.
 * Nothing in it depends on wall-clock time: same scenario and seed, same bytes.
 *
 * @param scenario scenario name.
 * @param seed its seed.
 * @param link the wire's parameters and faults.
 * @param flowCount flows.
 * @param applicationBytes application bytes the scenario asked for, all flows, both ways.
 * @param virtualTimeNs virtual time the run took.
 * @param complete every flow finished.
 * @param interrupted the run was stopped early (Ctrl-C): what is here is what was done.
 * @param verdict one line.
 * @param wire frames on the wire and what the fault model did to them.
 * @param devices per NIC, the non-zero device counters (mlx5 names).
 * @param flows per flow.
 */
public record SimulationReport(String scenario, long seed, Map<String, Object> link, int flowCount,
    long applicationBytes, long virtualTimeNs, boolean complete, boolean interrupted, String verdict,
    Map<String, Long> wire, Map<String, Map<String, Long>> devices, List<Flow> flows)
{
    /**
     * One flow.
     *
     * @param flow flow number, from 1.
     * @param client client ip:port.
     * @param server server ip:port.
     * @param version TLS version.
     * @param cipher suite name.
     * @param workload workload.
     * @param status done, failed, or unfinished (connecting, handshake, transfer).
     * @param failure why it failed, or null.
     * @param keyUpdate whether a KeyUpdate was asked for.
     * @param directions client to server, then server to client.
     */
    public record Flow(int flow, String client, String server, String version, String cipher, String workload,
        String status, String failure, boolean keyUpdate, List<Direction> directions)
    {
    }

    /**
     * One direction of a flow.
     *
     * @param src sender ip:port.
     * @param dst receiver ip:port.
     * @param version TLS version.
     * @param cipher suite name.
     * @param plaintextBytes application bytes the receiver got (and checked).
     * @param plaintextSha256 their SHA-256, hex.
     * @param plaintextExpectedBytes bytes the sender was to send.
     * @param records records the receiving kTLS socket delivered.
     * @param recordsDevice decrypted by the device entirely.
     * @param recordsMixed decrypted by the device in part (the host finished them).
     * @param recordsSoftware decrypted by the host.
     * @param txOffload "device" or "software": the sender's record layer.
     * @param rxOffload "device" or "software": the receiver's record layer.
     * @param rxResyncs RX resyncs the receiving host confirmed to its device.
     * @param keyUpdates KeyUpdates the sender sent.
     * @param verdict one line.
     */
    public record Direction(String src, String dst, String version, String cipher, long plaintextBytes,
        String plaintextSha256, long plaintextExpectedBytes, long records, long recordsDevice, long recordsMixed,
        long recordsSoftware, String txOffload, String rxOffload, long rxResyncs, long keyUpdates, String verdict)
    {
    }
}
