/**
 * TLS for the xDS stream between a node and the control plane. Knows nothing of certificates'
 * contents: the contexts it wraps come from the workload's credentials or the control plane's CA.
 */
package dev.firemesh.xds.tls;
