/**
 * What the sidecar counts and what it costs. {@link dev.firemesh.proxy.stats.ProxyStats}: requests
 * by listener and status class, upstream connections, keep-alive race resends, bytes,
 * back-pressure, written without locks from the event loops. {@link
 * dev.firemesh.proxy.stats.Footprint}: heap, resident memory, buffer memory, GC, threads, uptime,
 * read on demand off the loops. {@link dev.firemesh.proxy.stats.EventLoopLag}: how late each event
 * loop runs a task that fell due. Read by the admin listener and by tests; knows nothing of Netty
 * pipelines.
 */
package dev.firemesh.proxy.stats;
