/**
 * Telemetry a sidecar emits about the requests it carries. {@code trace}: W3C trace context,
 * sampling, one span per hop with OpenTelemetry's attribute conventions; {@code otlp}: the OTLP
 * protobuf encoding and an HTTP exporter behind a bounded queue.
 *
 * <p>This module knows nothing of Netty, of the sidecar's request path or of other FireMesh
 * modules: the sidecar hands it header values and the outcome of a hop, and gets back the headers
 * to forward and, when a span is to be exported, the span. So it can be tested alone and reused by
 * the chassis.
 */
package dev.firemesh.telemetry;
