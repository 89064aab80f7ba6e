/**
 * The service chassis: what every FireMesh service is built on, so that a service is its business
 * logic and nothing else. {@code Chassis.builder()...start()} gives a plain {@code main} its mesh
 * membership (workload identity, registration under a lease, readiness and liveness, a graceful
 * stop), its live configuration, replicas of the reference data, and metrics, traces and JSON logs
 * named as the sidecar names them. No framework: no Spring, no annotations scanned at start, no
 * reflection beyond binding configuration records.
 */
package dev.firemesh.chassis;
