/**
 * What the registry knows of a running workload: one {@link
 * dev.firemesh.api.registry.ServiceInstance} per registered instance. Shared by the store (which
 * keeps them under leases) and the xDS translation (which turns them into endpoints).
 */
package dev.firemesh.api.registry;
