package dev.firemesh.bench.fanout;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many simulated sidecars in one JVM: their ADS streams share a few HTTP/2 connections (gRPC
 * channels) on a small Netty event-loop group, and their responses are handled on those event loops
 * (the handling is short and never blocks). Watches one {@link Rollout} at a time.
 *
 * <p>Sharing connections is where the simulation departs from a real mesh, where each sidecar has a
 * connection of its own: the control plane's per-stream work (a snapshot per node, watches,
 * serialising and writing responses) is the same, its per-connection work (TCP, HTTP/2 sessions) is
 * smaller. {@code channels} equal to the number of sidecars gives each its own connection.
 */
public final class SidecarFleet implements AutoCloseable {
  /** Larger than gRPC's 4 MiB default, as the sidecar's: a whole mesh comes in one response. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private static final int LOST_KEPT = 5;

  private final ProbeService probe;
  private final EventLoopGroup io;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<SimulatedSidecar> sidecars = new ArrayList<>();
  private final AtomicReference<Rollout> watched = new AtomicReference<>();
  private final AtomicInteger lost = new AtomicInteger();
  private final List<String> lostReasons = new ArrayList<>();

  /**
   * Creates the sidecars and the connections; nothing is sent until {@link #connect()}.
   *
   * @param channels HTTP/2 connections the streams are spread over, round robin
   * @param ioThreads the event-loop threads for every connection
   */
  public SidecarFleet(
      String host,
      int port,
      List<SidecarIdentity> identities,
      int channels,
      int ioThreads,
      ProbeService probe) {
    Objects.requireNonNull(host, "host");
    this.probe = Objects.requireNonNull(probe, "probe");
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one sidecar");
    }
    if (channels < 1 || ioThreads < 1) {
      throw new IllegalArgumentException(
          "channels and ioThreads must be at least 1, got " + channels + " and " + ioThreads);
    }
    this.io =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("fanout-xds-io", true), NioIoHandler.newFactory());
    for (int i = 0; i < Math.min(channels, identities.size()); i++) {
      this.channels.add(
          NettyChannelBuilder.forAddress(host, port)
              .usePlaintext()
              .eventLoopGroup(io)
              .channelType(NioSocketChannel.class)
              .directExecutor()
              .maxInboundMessageSize(MAX_RESPONSE_BYTES)
              .userAgent("firemesh-bench-fanout")
              .build());
    }
    SimulatedSidecar.ConfigListener listener = new Listener();
    for (int i = 0; i < identities.size(); i++) {
      sidecars.add(new SimulatedSidecar(i, identities.get(i), listener));
    }
  }

  /** Opens every sidecar's stream; returns at once. */
  public void connect() {
    for (SimulatedSidecar sidecar : sidecars) {
      sidecar.open(channels.get(sidecar.index() % channels.size()));
    }
  }

  /** From now on, reports to {@code rollout} which sidecars have its port. */
  void watch(Rollout rollout) {
    if (rollout.sidecars() != sidecars.size()) {
      throw new IllegalArgumentException(
          "a rollout for " + rollout.sidecars() + " sidecars, the fleet has " + sidecars.size());
    }
    watched.set(rollout);
    // A sidecar that already holds it (the initial configuration may have come before the watch)
    // sends nothing more: look now.
    for (SimulatedSidecar sidecar : sidecars) {
      check(sidecar, rollout, System.nanoTime());
    }
  }

  public int size() {
    return sidecars.size();
  }

  public int channels() {
    return channels.size();
  }

  public List<SimulatedSidecar> sidecars() {
    return List.copyOf(sidecars);
  }

  /** Streams that ended while the fleet was open. */
  public int lost() {
    return lost.get();
  }

  /** The first few reasons streams ended. */
  public List<String> lostReasons() {
    synchronized (lostReasons) {
      return List.copyOf(lostReasons);
    }
  }

  public long nacks() {
    return sidecars.stream().mapToLong(SimulatedSidecar::nacks).sum();
  }

  public long responses() {
    return sidecars.stream().mapToLong(SimulatedSidecar::responses).sum();
  }

  /** Cancels every stream and closes the connections and the event loops. */
  @Override
  public void close() {
    watched.set(null);
    sidecars.forEach(SimulatedSidecar::close);
    channels.forEach(ManagedChannel::shutdownNow);
    try {
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  private void check(SimulatedSidecar sidecar, Rollout rollout, long nanos) {
    if (rollout.arrived(sidecar.index())) {
      return;
    }
    if (sidecar.complete() && probe.port(sidecar.clusters()).orElse(-1) == rollout.port()) {
      rollout.arrived(sidecar.index(), nanos);
    }
  }

  private final class Listener implements SimulatedSidecar.ConfigListener {
    @Override
    public void accepted(SimulatedSidecar sidecar, ResourceType type, long ackedAtNanos) {
      Rollout rollout = watched.get();
      if (rollout != null) {
        check(sidecar, rollout, ackedAtNanos);
      }
    }

    @Override
    public void lost(SimulatedSidecar sidecar, Status status) {
      lost.incrementAndGet();
      synchronized (lostReasons) {
        if (lostReasons.size() < LOST_KEPT) {
          lostReasons.add(
              sidecar.identity().id()
                  + ": "
                  + status.getCode()
                  + (status.getDescription() == null ? "" : " " + status.getDescription()));
        }
      }
    }
  }
}
