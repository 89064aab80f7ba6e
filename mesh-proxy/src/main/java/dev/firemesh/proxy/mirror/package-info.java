/**
 * Traffic mirroring in the caller's sidecar: copies of a share of requests sent to a mirror
 * cluster, their responses read and discarded.
 *
 * <p>The {@link dev.firemesh.proxy.mirror.MirrorTap} sits in the outbound pipeline between the
 * routing step and the exchange. It never delays, pauses or fails the request it copies: it only
 * keeps retained duplicates of the pieces passing by (sharing their memory, at most {@link
 * dev.firemesh.proxy.mirror.MirrorSettings#maxBodyBytes()} of body), and once the request is whole
 * hands the copy to a {@link dev.firemesh.proxy.mirror.ShadowExchange} on a connection of its own.
 * A copy that cannot go at once (body too large, too many copies in flight, connection not
 * writable, caller gone) is dropped and counted; a shadow that fails or stays silent is closed and
 * counted.
 *
 * <p>This package knows nothing of routing: the router draws the mirrors (by percentage) and picks
 * their endpoints; {@code listener} turns them into targets.
 */
package dev.firemesh.proxy.mirror;
