/**
 * Two hosts, each with stack, driver and emulated NIC, on a link with seeded faults, running TLS flows whose
 * every byte is checked: the runner behind {@code tlsnic soak} and {@code tlsnic sweep} (and later the scenario
 * files of {@code tlsnic simulate}).
 */
package io.tlsnic.harness.scenario;
