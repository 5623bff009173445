/**
 * JMH benchmarks. Every benchmark checks its own output at the end of each iteration, and comparisons (engine vs
 * raw JCE, offload vs software) are measured in the same run on the same JVM.
 */
package io.tlsnic.harness.bench;
