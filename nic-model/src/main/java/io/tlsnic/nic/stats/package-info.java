/**
 * Device counters: {@link io.tlsnic.nic.stats.NicCounters} is the catalogue (ids, the names mlx5 {@code ethtool -S}
 * and tls-offload.rst use, and who writes each one), {@link io.tlsnic.nic.stats.NicCounterSet} holds the values.
 * Every counter has exactly one writer thread; readers on any thread see values published with ordered stores.
 */
package io.tlsnic.nic.stats;
