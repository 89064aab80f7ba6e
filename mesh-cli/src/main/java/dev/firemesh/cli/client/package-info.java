/**
 * A small blocking client of the admin API, used by the CLI and by tests: JSON in and out, each
 * refusal an {@link dev.firemesh.cli.client.AdminCallException} carrying the server's error.
 */
package dev.firemesh.cli.client;
