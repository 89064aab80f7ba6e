/**
 * The {@code firemesh} command (picocli): one class per subcommand. {@code control} runs a control
 * plane in this process, {@code proxy} a sidecar, {@code run} a sidecar and a supervisor of the app
 * beside it ({@link dev.firemesh.cli.supervise}), and {@code demo} supervises a control plane, the
 * sample services and their sidecars as child processes; every other command is a client of the
 * admin API through {@link dev.firemesh.cli.Connection}.
 *
 * <p>Exit codes are part of the interface: 0 done, 1 refused or failed by the control plane, 2 bad
 * local input or usage ({@link dev.firemesh.cli.BadInputException}, picocli's usage errors), 3 the
 * control plane could not be reached.
 */
package dev.firemesh.cli;
