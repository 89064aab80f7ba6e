/**
 * The CLI's client of the admin API, used by its commands and by tests: {@link
 * dev.firemesh.cli.client.AdminClient} adds Jackson trees on top of mesh-workload's {@link
 * dev.firemesh.workload.admin.AdminHttp}, which makes the HTTP/1.1 calls; each refusal is a {@link
 * dev.firemesh.workload.admin.AdminCallException} carrying the server's error. A sidecar uses
 * {@code AdminHttp} with {@link dev.firemesh.workload.admin.PlainJson} directly, so that its
 * process loads neither Jackson nor the JDK's HTTP client and TLS.
 */
package dev.firemesh.cli.client;
