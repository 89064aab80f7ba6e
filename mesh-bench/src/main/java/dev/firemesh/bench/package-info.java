/**
 * End-to-end benchmark harness: an open-loop, constant-rate HTTP/1.1 and h2c load generator that
 * measures latency from each request's intended send time (no coordinated omission), and an echo
 * upstream to aim it at. It talks to a mesh only over HTTP, so it knows nothing of FireMesh's own
 * modules.
 */
package dev.firemesh.bench;
