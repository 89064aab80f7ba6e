/**
 * An instance's membership of the mesh: {@link dev.firemesh.workload.registry.InstanceLease}
 * registers it with the control plane under a lease, renews the lease and deregisters on release.
 *
 * <p>Used by the sidecar, {@code firemesh run}'s supervisor and the chassis. It must not know what
 * the instance is (app, sidecar, chassis service) nor when it is ready: the caller registers once
 * it can take requests. No picocli, no Jackson.
 */
package dev.firemesh.workload.registry;
