/**
 * {@code firemesh run}'s supervisor: starts the app as a child process once the sidecar is ready,
 * watches it (its exit, and an HTTP health check when one is given), takes it out of discovery
 * while it is down, restarts it with a jittered exponential backoff under a restart limit, and says
 * why at every step. One thread ({@link dev.firemesh.cli.supervise.Supervisor#run}) owns every
 * decision; process exits and stop requests reach it as events on a queue.
 *
 * <p>It knows nothing of Netty, xDS or the control plane: registration is a {@link
 * dev.firemesh.cli.supervise.Membership} the command gives it, and what it shows on the sidecar's
 * admin port is a published {@link dev.firemesh.cli.supervise.AppStatus}.
 */
package dev.firemesh.cli.supervise;
