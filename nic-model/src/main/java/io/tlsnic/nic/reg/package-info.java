/**
 * The device's MMIO register file, qemu style: {@link io.tlsnic.nic.reg.RegisterFile} is registers as data plus a
 * handler table (access rights, write validation, side effects, computed reads); {@link io.tlsnic.nic.reg.NicRegisters}
 * is this device's register map (doorbells, ring bases and sizes, CQ heads, interrupt moderation, RSS, capabilities
 * and the counter window). Illegal accesses are counted, never thrown.
 */
package io.tlsnic.nic.reg;
