package dev.firemesh.traffic.route;

import dev.firemesh.traffic.balance.ActiveRequests;
import dev.firemesh.traffic.circuit.CircuitBreaker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts one request against its endpoint, and against its cluster's circuit breaker, from {@link
 * #open} until the first {@link #close}.
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

  @SuppressWarnings("unused") // written through CLOSED
  private volatile boolean closed;

  private EndpointLease(ActiveRequests activeRequests, CircuitBreaker breaker) {
    this.activeRequests = activeRequests;
    this.breaker = breaker;
  }

  /** Opens a lease on a request slot already taken from {@code breaker}. */
  static EndpointLease open(ActiveRequests activeRequests, CircuitBreaker breaker) {
    activeRequests.increment();
    return new EndpointLease(activeRequests, breaker);
  }

  @Override
  public void close() {
    if (CLOSED.compareAndSet(this, false, true)) {
      activeRequests.decrement();
      breaker.releaseRequest();
    }
  }
}
