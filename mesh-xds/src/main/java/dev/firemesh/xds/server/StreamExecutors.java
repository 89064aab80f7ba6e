package dev.firemesh.xds.server;

import com.google.common.util.concurrent.MoreExecutors;
import io.envoyproxy.controlplane.server.ExecutorGroup;
import java.util.concurrent.Executor;

/**
 * Where java-control-plane sends each stream's responses: one sequential executor per stream (so
 * responses stay in order) over shared virtual threads, so that a snapshot update never writes to
 * streams on the updating thread and a gRPC thread never waits on another stream's write.
 */
final class StreamExecutors implements ExecutorGroup {
  private final Executor shared;

  StreamExecutors(Executor shared) {
    this.shared = shared;
  }

  @Override
  public Executor next() {
    return MoreExecutors.newSequentialExecutor(shared);
  }
}
