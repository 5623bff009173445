/**
 * Execution primitives every module shares: the {@link io.tlsnic.wire.sim.Agent} duty cycle, the virtual clock and
 * the discrete-event scheduler of deterministic mode, and the {@link io.tlsnic.wire.sim.AgentRunner} that runs a
 * group of agents with its own scheduler on a thread of its own in threaded mode.
 */
package io.tlsnic.wire.sim;
