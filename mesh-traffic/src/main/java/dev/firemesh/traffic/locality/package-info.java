/**
 * Locality: where callers and endpoints run (region, zone) and a caller's preference among them,
 * expressed as endpoint priority levels. The control plane ranks each node's endpoints with {@link
 * dev.firemesh.traffic.locality.LocalityPreference}; the balancing state ({@link
 * dev.firemesh.traffic.balance.ClusterState}) sends to the most preferred level present.
 *
 * <p>Pure values and functions: no state, no I/O, nothing of xDS.
 */
package dev.firemesh.traffic.locality;
