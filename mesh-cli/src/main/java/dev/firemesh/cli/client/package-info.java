/**
 * A small blocking client of the admin API, used by the CLI and by tests: {@link
 * dev.firemesh.cli.client.AdminHttp} makes the HTTP/1.1 calls (bytes in and out, on a plain socket
 * for {@code http://}), {@link dev.firemesh.cli.client.AdminClient} adds Jackson trees on top, and
 * each refusal is an {@link dev.firemesh.cli.client.AdminCallException} carrying the server's
 * error. A sidecar uses {@code AdminHttp} with {@link dev.firemesh.cli.client.PlainJson}, so that
 * its process loads neither Jackson nor the JDK's HTTP client and TLS.
 */
package dev.firemesh.cli.client;
