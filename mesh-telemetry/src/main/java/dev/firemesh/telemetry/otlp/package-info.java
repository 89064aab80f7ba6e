/**
 * OTLP for traces: {@link dev.firemesh.telemetry.otlp.OtlpTraceEncoding} maps spans to the
 * protocol's protobuf messages; {@link dev.firemesh.telemetry.otlp.OtlpHttpExporter} sends them,
 * batched, as OTLP/HTTP ({@code POST <endpoint>/v1/traces}, {@code application/x-protobuf}) from
 * bounded queues that drop and count rather than make the data plane wait.
 */
package dev.firemesh.telemetry.otlp;
