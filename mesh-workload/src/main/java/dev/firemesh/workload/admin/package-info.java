/**
 * The admin API as a workload process speaks it: {@link dev.firemesh.workload.admin.AdminHttp}
 * makes blocking HTTP/1.1 calls (bytes in and out, one connection per call, TLS layered by {@link
 * dev.firemesh.workload.admin.ClientTls} trusting the mesh's roots only), {@link
 * dev.firemesh.workload.admin.PlainJson} reads and writes the few small documents involved, and
 * each refusal or failure to reach the control plane is an {@link
 * dev.firemesh.workload.admin.AdminCallException} carrying the status and the server's error.
 *
 * <p>It runs in the sidecar's JVM, which must stay small, and in every chassis service: it must not
 * know Jackson, picocli, the JDK's {@code HttpClient} or the control plane's own classes. The CLI's
 * Jackson-tree client ({@code dev.firemesh.cli.client.AdminClient}) sits on top of it.
 */
package dev.firemesh.workload.admin;
