package dev.firemesh.traffic.route;

import dev.firemesh.traffic.balance.ActiveRequests;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Counts one request against its endpoint from {@link #open} until the first {@link #close}. */
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

  @SuppressWarnings("unused") // written through CLOSED
  private volatile boolean closed;

  private EndpointLease(ActiveRequests activeRequests) {
    this.activeRequests = activeRequests;
  }

  static EndpointLease open(ActiveRequests activeRequests) {
    activeRequests.increment();
    return new EndpointLease(activeRequests);
  }

  @Override
  public void close() {
    if (CLOSED.compareAndSet(this, false, true)) {
      activeRequests.decrement();
    }
  }
}
