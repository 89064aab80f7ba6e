/**
 * Endpoint health: passive outlier detection (consecutive 5xx, consecutive gateway errors, success
 * rate) and the state machine of active health checks, per endpoint of a cluster, surviving
 * configuration updates as in-flight counts do.
 *
 * <p>Two sides, two disciplines. Request outcomes are recorded by {@link
 * dev.firemesh.traffic.health.EndpointHealth#record} from any thread, without locks, allocation or
 * waiting: a few atomic counters. Everything else (ejecting, unejecting, applying check results,
 * the success-rate sweep) is done by {@link dev.firemesh.traffic.health.ClusterHealth}'s writer
 * methods, which one thread at a time calls with the time it reads from its clock; this package
 * owns no thread and reads no clock. When a consecutive-error threshold is crossed, the recording
 * thread only raises a flag and calls the cluster's signal, so that the writer runs soon.
 *
 * <p>It knows nothing of balancers, routes or sockets; {@link
 * dev.firemesh.traffic.balance.ClusterState} decides what the health means for balancing.
 */
package dev.firemesh.traffic.health;
