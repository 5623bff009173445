package io.tlsnic.harness.replay;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The outcome of one replay.
 *
 * @param capture   capture file.
 * @param linkType  its link type.
 * @param packets   packets read.
 * @param replayMs  wall time of the replay, in milliseconds (printed, kept out of report.json so that the same
 *     capture and keys give the same report bytes).
 * @param flows     every TCP connection.
 * @param warnings  key-log lines ignored and other things the user should know, one line each.
 */
public record ReplayReport(
    String capture, String linkType, long packets, @JsonIgnore long replayMs, List<FlowReport> flows, List<String> warnings)
{
    /** @return whether at least one flow was replayed and every replayed direction verified. */
    public boolean verified()
    {
        return flows.stream().anyMatch(FlowReport::replayed) && flows.stream()
            .flatMap(flow -> flow.directions().stream()).allMatch(DirectionReport::verified);
    }
}
