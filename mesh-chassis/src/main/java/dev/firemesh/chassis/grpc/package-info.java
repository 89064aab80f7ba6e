/**
 * The service's gRPC server, instrumented as the HTTP one is: golden metrics with the gRPC status,
 * a server span per call, the trace carried into the service's own calls and log lines.
 */
package dev.firemesh.chassis.grpc;
