/**
 * Two hosts, each with stack, driver and emulated NIC, on a link with seeded faults, running TLS flows whose
 * every byte is checked: the runner behind {@code tlsnic soak} and {@code tlsnic sweep} (deterministic, one
 * virtual clock), the threaded runner behind the end-to-end benchmark ({@code ThreadedRun}: hosts and drivers on
 * one thread, NICs and link on another), and later the scenario files of {@code tlsnic simulate}.
 */
package io.tlsnic.harness.scenario;
