package dev.firemesh.cli.supervise;

/**
 * Whether the instance is an endpoint of its service: the supervisor joins once the app is ready
 * and leaves as soon as it is not (ended, stopped, persistently unhealthy), so that callers'
 * sidecars send their requests elsewhere meanwhile.
 */
public interface Membership {
  /** An app that serves nothing is never an endpoint. */
  Membership NONE =
      new Membership() {
        @Override
        public void join() {}

        @Override
        public void leave() {}
      };

  /** Become an endpoint; a control plane that is away is retried in the background. */
  void join();

  /** Stop being one; returns once the control plane was told (or could not be). */
  void leave() throws InterruptedException;
}
