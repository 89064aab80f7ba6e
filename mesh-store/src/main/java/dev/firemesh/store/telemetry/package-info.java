/**
 * Telemetry rollups: the traffic on each edge of the service graph, per 10-second bucket and
 * control-plane replica, in a table partitioned by day with its partitions made ahead and dropped
 * past a retention. Knows nothing of how the figures were collected or what reads them.
 */
package dev.firemesh.store.telemetry;
