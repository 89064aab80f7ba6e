/**
 * The sidecar's counters: requests by listener and status class, upstream connections, keep-alive
 * race resends, bytes, back-pressure. Written without locks from the event loops, read by the admin
 * listener and by tests. Knows nothing of Netty pipelines.
 */
package dev.firemesh.proxy.stats;
