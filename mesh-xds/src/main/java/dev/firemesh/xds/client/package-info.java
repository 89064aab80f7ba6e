/**
 * The xDS client side of the data plane: {@link dev.firemesh.xds.client.AdsClient} holds one ADS
 * stream (state of the world) to the control plane, subscribes to every Listener and Cluster and to
 * the RouteConfigurations and ClusterLoadAssignments they name, ACKs or NACKs each response, and
 * publishes a new {@link dev.firemesh.traffic.config.DataPlaneConfig} whenever a consistent set of
 * resources has changed. {@link dev.firemesh.xds.client.XdsConfigDecoder} is the pure function from
 * Envoy v3 protos to that configuration.
 *
 * <p>What any FireMesh xDS client runs on is here too, public for the chassis's RTDS feed: {@link
 * dev.firemesh.xds.client.XdsConnection} (protocol thread, I/O, channel, close), {@link
 * dev.firemesh.xds.client.DiscoverySession} (the fail-static reconnect loop), {@link
 * dev.firemesh.xds.client.DiscoveryStream} (one stream and its callbacks), {@link
 * dev.firemesh.xds.client.XdsNodes} (the node a client introduces itself with) and {@link
 * dev.firemesh.xds.client.Backoff}.
 *
 * <p>The decoder refuses what the data plane could not honour rather than dropping it silently: the
 * refusal becomes the NACK's {@code error_detail}, and the previous configuration stays in force.
 * If the control plane goes away, the last good configuration keeps serving (fail static).
 *
 * <p>This package knows how xDS maps to the traffic model; it knows nothing of how the model is
 * translated to xDS (that is {@code dev.firemesh.xds.translate}) nor of the sidecar.
 */
package dev.firemesh.xds.client;
