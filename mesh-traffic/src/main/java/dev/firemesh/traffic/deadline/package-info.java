/**
 * Deadlines that cross hops: how the time left for a request is written into and read from its
 * headers, so that every sidecar on the way enforces the caller's deadline and none forwards a
 * request its caller has given up on.
 */
package dev.firemesh.traffic.deadline;
