/**
 * Load balancing: choosing one endpoint of a cluster for each request. A {@link
 * dev.firemesh.traffic.balance.Balancer} per policy (smooth weighted round robin, least request by
 * two random choices, weighted random, ring hash, Maglev), and {@link
 * dev.firemesh.traffic.balance.ClusterState}, which owns a cluster's balancer over its most
 * preferred priority level and the in-flight counts of its endpoints across configuration updates.
 *
 * <p>Everything here is lock-free and allocation-light: it runs on the sidecar's event loops and on
 * the chassis's calling threads. It knows nothing of routes, protocols or sockets.
 */
package dev.firemesh.traffic.balance;
