/**
 * Coordinated scheduled tasks: declared in code ({@link dev.firemesh.chassis.schedule.Task}), run
 * once per firing across every instance of a service by a {@link
 * dev.firemesh.chassis.schedule.Scheduler} on the service's store, under leases with fencing
 * tokens. Owns {@code sched_tasks} and {@code sched_runs} (its membership is the store's {@code
 * chassis_members}); knows nothing of the mesh or the HTTP server.
 */
package dev.firemesh.chassis.schedule;
