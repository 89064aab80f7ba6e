/**
 * Control-plane fan-out: how long after {@code firemesh apply} every connected proxy has the new
 * configuration, with many simulated xDS clients in one JVM.
 *
 * <p>A {@link dev.firemesh.bench.fanout.SimulatedSidecar} is one ADS stream that behaves on the
 * wire like {@code firemesh proxy}'s xDS client (state of the world; every Cluster and Listener by
 * wildcard, the ClusterLoadAssignments and RouteConfigurations they name; each response ACKed with
 * its version and nonce), without decoding the configuration into a data plane. A {@link
 * dev.firemesh.bench.fanout.SidecarFleet} runs many of them over a few shared HTTP/2 connections on
 * a small event-loop group, so a thousand fit on two cores; each connection presents the SVID of
 * the one service whose streams it carries, as the control plane requires. {@link
 * dev.firemesh.bench.fanout.FanoutDriver} applies a change through the admin API and times its
 * arrival at every client; {@link dev.firemesh.bench.fanout.FanoutBenchmark} is its command line.
 *
 * <p>It speaks to the control plane only over ADS (gRPC over TLS) and the admin HTTP API, with the
 * wire contract documented in {@code docs/architecture.md} and {@code docs/reference/admin-api.md}.
 * Of FireMesh's modules it uses only {@code mesh-identity}, to make the key pair and certificate
 * request it enrols with ({@code ServiceEnrolment}); the control plane, the xDS server and the CLI
 * stay out of it.
 */
package dev.firemesh.bench.fanout;
