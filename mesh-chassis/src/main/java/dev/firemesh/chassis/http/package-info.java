/**
 * The service's own HTTP server: routes ({@link dev.firemesh.chassis.http.HttpRoutes}) of blocking
 * handlers, each request on a virtual thread, on loopback behind the sidecar (or alone in tests),
 * instrumented by the chassis (golden metrics, a server span, the trace in the log context) so the
 * handler is business logic only. Also the chassis's own endpoints: health and metrics.
 */
package dev.firemesh.chassis.http;
