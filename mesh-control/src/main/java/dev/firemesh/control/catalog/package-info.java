/**
 * Resources as the admin API sees them: the apply pipeline (parse, check references against the
 * batch and the store, compute changes, write one revision, all or nothing), delete, rollback, diff
 * and reads. It knows the resource model and the store; it knows nothing of HTTP.
 */
package dev.firemesh.control.catalog;
