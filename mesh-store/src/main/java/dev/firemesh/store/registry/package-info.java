/**
 * The service registry: instances of services, each held by a lease that its owner renews. Expiry
 * is judged by the database clock only, so replicas with skewed clocks agree on it.
 */
package dev.firemesh.store.registry;
