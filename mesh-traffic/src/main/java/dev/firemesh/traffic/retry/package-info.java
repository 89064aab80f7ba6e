/**
 * Retries: which requests may be sent again, which failures are worth another try, and the back-off
 * between tries. How many retries may be in flight at once (the retry budget) is the cluster's
 * circuit breaker's business ({@link dev.firemesh.traffic.circuit}).
 */
package dev.firemesh.traffic.retry;
