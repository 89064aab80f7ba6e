/**
 * The data plane's configuration: immutable snapshots of virtual services (route tables) and
 * clusters (endpoints and their policies), decoded from xDS by {@code mesh-xds} and read by the
 * sidecar and the chassis's direct channel. A new snapshot replaces the old one atomically; a
 * request sees one snapshot from start to end.
 *
 * <p>Nothing here knows about protobuf, Netty or sockets.
 */
package dev.firemesh.traffic.config;
