/**
 * Live configuration: a {@code Config} resource's values, layered by the control plane
 * (environment, region, instance) over the defaults in code, delivered over RTDS on the control
 * plane's xDS port, bound to the service's record and swapped atomically. The record's schema is
 * published to the control plane at start so that {@code firemesh apply} refuses a value the
 * service could not bind. The last good document is cached on disk for a start without the control
 * plane.
 */
package dev.firemesh.chassis.config;
