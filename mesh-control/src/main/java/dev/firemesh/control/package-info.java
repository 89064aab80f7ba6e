/**
 * The control plane process: {@link dev.firemesh.control.ControlPlane} starts the store, the
 * registry, the xDS server and the admin API in order, stops them in reverse, and keeps the files
 * the CLI finds it by ({@link dev.firemesh.control.ControlPlaneFiles}: the admin token, and {@code
 * control.json} while it runs).
 *
 * <p>It wires the parts together and owns their lifecycle; what each part does lives in its own
 * package or module.
 */
package dev.firemesh.control;
