/**
 * Circuit breaking: per-cluster limits on connections, pending requests, requests and retries in
 * flight, past which calls fail at once with the name of the limit that tripped.
 */
package dev.firemesh.traffic.circuit;
