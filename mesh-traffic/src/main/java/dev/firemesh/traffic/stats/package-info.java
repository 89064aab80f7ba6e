/**
 * Per-cluster counters of what the traffic engine did: answers, failures, retries, timeouts, faults
 * and latency, recorded by whoever sends (the sidecar, later the chassis's direct channel) and read
 * by reports such as the sidecar's Prometheus endpoint.
 */
package dev.firemesh.traffic.stats;
