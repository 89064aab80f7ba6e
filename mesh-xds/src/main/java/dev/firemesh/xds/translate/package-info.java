/**
 * Translation of the FireMesh model (resources and registered instances) into Envoy v3 xDS
 * resources: Listeners, RouteConfigurations, Clusters and ClusterLoadAssignments.
 *
 * <p>{@link dev.firemesh.xds.translate.MeshTranslator#translate} is a pure function: the same
 * {@link dev.firemesh.xds.translate.MeshState} always gives byte-identical resources and the same
 * versions. Every resource's version is a hash of its content, so a change to one service's
 * endpoints changes exactly one ClusterLoadAssignment version and nothing else.
 *
 * <p>This package knows nothing of gRPC, streams or caches; {@code dev.firemesh.xds.server} serves
 * what it produces.
 */
package dev.firemesh.xds.translate;
