/**
 * What every sample service needs around its business logic, and what the service chassis will
 * provide instead: command-line arguments, an HTTP/JSON server on the JDK's server with virtual
 * threads, calls to other services by logical name through the local sidecar (carrying the served
 * request's W3C trace context on, so a trace crosses the services), the ready file a launcher waits
 * for, and periodic one-line summaries instead of a log line per request.
 */
package dev.firemesh.examples.trading.plumbing;
