/**
 * Execution primitives every module shares: the {@link io.tlsnic.wire.sim.Agent} duty cycle, the virtual clock and
 * the discrete-event scheduler of deterministic mode.
 */
package io.tlsnic.wire.sim;
