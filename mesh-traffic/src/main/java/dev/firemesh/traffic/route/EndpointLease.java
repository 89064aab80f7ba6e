package dev.firemesh.traffic.route;

import dev.firemesh.traffic.balance.ActiveRequests;
import dev.firemesh.traffic.circuit.CircuitBreaker;
import dev.firemesh.traffic.health.EndpointHealth;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts one request against its endpoint, and against its cluster's circuit breaker, from {@link
 * #open} until the first close, and feeds that close's outcome, if it has one, to the endpoint's
 * health.
 */
final class EndpointLease implements RequestLease {
  private static final VarHandle CLOSED;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(EndpointLease.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ActiveRequests activeRequests;
  private final CircuitBreaker breaker;
  private final EndpointHealth health;

  @SuppressWarnings("unused") // written through CLOSED
  private volatile boolean closed;

  private EndpointLease(
      ActiveRequests activeRequests, CircuitBreaker breaker, EndpointHealth health) {
    this.activeRequests = activeRequests;
    this.breaker = breaker;
    this.health = health;
  }

  /** Opens a lease on a request slot already taken from {@code breaker}. */
  static EndpointLease open(
      ActiveRequests activeRequests, CircuitBreaker breaker, EndpointHealth health) {
    activeRequests.increment();
    return new EndpointLease(activeRequests, breaker, health);
  }

  @Override
  public void close() {
    if (CLOSED.compareAndSet(this, false, true)) {
      activeRequests.decrement();
      breaker.releaseRequest();
    }
  }

  @Override
  public void close(Outcome outcome) {
    if (CLOSED.compareAndSet(this, false, true)) {
      activeRequests.decrement();
      breaker.releaseRequest();
      health.record(outcome.serverError(), outcome.gatewayError());
    }
  }
}
