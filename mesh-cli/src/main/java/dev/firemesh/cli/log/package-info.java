/**
 * The sidecar's logging backend: SLF4J lines on stderr in the format of the CLI's {@code
 * logback.xml} ({@code HH:mm:ss.SSS LEVEL Logger - message}), with the same levels (WARN for gRPC,
 * Netty and Envoy's API, {@code FIREMESH_LOG_LEVEL} or INFO for the rest).
 *
 * <p>It exists for memory: logback configured from XML loads about 700 classes (its own and the
 * JDK's XML parser) into a process that must stay within 64 MiB resident. {@code firemesh proxy}
 * selects it through SLF4J's {@code slf4j.provider} property; every other command keeps logback. It
 * must not know anything of the sidecar itself.
 */
package dev.firemesh.cli.log;
