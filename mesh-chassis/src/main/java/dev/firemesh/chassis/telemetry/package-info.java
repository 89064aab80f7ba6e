/**
 * What a chassis service reports without code from its author: golden metrics named as the
 * sidecar's, JVM metrics, a server span per request exported as OTLP, the trace context passed on
 * to outgoing calls, and JSON log lines carrying trace and span ids.
 */
package dev.firemesh.chassis.telemetry;
