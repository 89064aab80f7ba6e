/**
 * The PostgreSQL layer of FireMesh: the embedded server's lifecycle and who may log in to it
 * (password only, by SCRAM, the superuser's kept in {@code <dataDir>/pg-password}), or a connection
 * to an external one; the connection pool, schema migrations and the {@link
 * dev.firemesh.store.ChangeFeed} of {@code LISTEN/NOTIFY} events.
 *
 * <p>All coordination between control-plane replicas goes through the database: this module keeps
 * no state of its own beyond connections. It knows nothing of the resource model; documents are
 * opaque canonical JSON text.
 */
package dev.firemesh.store;
