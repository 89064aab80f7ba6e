/**
 * Live configuration: a {@code Config} resource's values, layered by the control plane
 * (environment, region, instance) over the defaults in code, delivered over RTDS on the control
 * plane's xDS port, bound to the service's record and swapped atomically. The record's schema is
 * published to the control plane at start so that {@code firemesh apply} refuses a value the
 * service could not bind. The last good document is cached on disk for a start without the control
 * plane.
 *
 * <ul>
 *   <li>{@link dev.firemesh.chassis.config.ConfigBinder}: the record's schema (types, defaults,
 *       {@link dev.firemesh.chassis.config.Range}, {@link
 *       dev.firemesh.chassis.config.DurationRange}, {@link dev.firemesh.chassis.config.Pattern},
 *       {@link dev.firemesh.chassis.config.Size}) and the binding of values to it (the schema's
 *       JSON form is mesh-api's, the one the control plane reads).
 *   <li>{@link dev.firemesh.chassis.config.ServiceConfig}: the value in force, its revision and
 *       sources in one reference; listeners.
 *   <li>{@link dev.firemesh.chassis.config.ConfigFeed}: the RTDS client, ACK/NACK, back-off, cache.
 *   <li>{@link dev.firemesh.chassis.config.Secret}: a reference resolved inside the service.
 * </ul>
 *
 * <p>It knows nothing of the rest of the chassis: the runtime builds a feed from the identity's TLS
 * context and the node, and metrics read the feed's getters.
 */
package dev.firemesh.chassis.config;
