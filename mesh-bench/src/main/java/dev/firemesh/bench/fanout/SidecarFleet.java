package dev.firemesh.bench.fanout;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many simulated sidecars in one JVM: their ADS streams share a few HTTP/2 connections (gRPC
 * channels) on a small Netty event-loop group, and their responses are handled on those event loops
 * (the handling is short and never blocks). Watches one {@link Rollout} at a time.
 *
 * <p>A connection belongs to one service: the control plane serves a stream only the configuration
 * of the service the connection's certificate names ({@link XdsChannelSecurity}), so a sidecar's
 * stream rides only a connection of its own service. {@code channels} is the fleet's total, spread
 * over the services by their numbers of sidecars, with at least one per service.
 *
 * <p>Sharing connections is where the simulation departs from a real mesh, where each sidecar has a
 * connection of its own: the control plane's per-stream work (a snapshot per node, watches,
 * serialising and writing responses) is the same, its per-connection work (TCP, TLS and HTTP/2
 * sessions) is smaller. {@code channels} equal to the number of sidecars gives each its own
 * connection.
 */
public final class SidecarFleet implements AutoCloseable {
  /** Larger than gRPC's 4 MiB default, as the sidecar's: a whole mesh comes in one response. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private static final int LOST_KEPT = 5;

  private final ProbeService probe;
  private final EventLoopGroup io;
  private final Map<String, List<ManagedChannel>> channelsByService = new LinkedHashMap<>();
  private final List<SimulatedSidecar> sidecars = new ArrayList<>();
  private final AtomicReference<Rollout> watched = new AtomicReference<>();
  private final AtomicInteger lost = new AtomicInteger();
  private final List<String> lostReasons = new ArrayList<>();

  /**
   * Creates the sidecars and the connections; nothing is sent until {@link #connect()}.
   *
   * @param channels HTTP/2 connections in all, spread over the services by their numbers of
   *     sidecars (at least one per service, at most one per sidecar); each service's streams are
   *     spread over its connections round robin
   * @param ioThreads the event-loop threads for every connection
   * @param security plaintext, or an SVID for every service of {@code identities}
   * @throws IllegalArgumentException if {@code security} has no SVID for one of the services
   */
  public SidecarFleet(
      String host,
      int port,
      List<SidecarIdentity> identities,
      int channels,
      int ioThreads,
      ProbeService probe,
      XdsChannelSecurity security) {
    Objects.requireNonNull(host, "host");
    this.probe = Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(security, "security");
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one sidecar");
    }
    if (channels < 1 || ioThreads < 1) {
      throw new IllegalArgumentException(
          "channels and ioThreads must be at least 1, got " + channels + " and " + ioThreads);
    }
    Map<String, Integer> sidecarsByService = new LinkedHashMap<>();
    identities.forEach(identity -> sidecarsByService.merge(identity.service(), 1, Integer::sum));
    Map<String, Integer> shares = shares(sidecarsByService, channels);
    // TLS contexts first: a missing SVID fails before any event loop exists.
    Map<String, Optional<SslContext>> tls = new LinkedHashMap<>();
    for (String service : shares.keySet()) {
      tls.put(
          service,
          security instanceof XdsChannelSecurity.Svids svids
              ? Optional.of(svids.clientTls(service))
              : Optional.empty());
    }
    this.io =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("fanout-xds-io", true), NioIoHandler.newFactory());
    shares.forEach(
        (service, count) -> {
          List<ManagedChannel> own = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            own.add(channel(host, port, tls.get(service)));
          }
          channelsByService.put(service, own);
        });
    SimulatedSidecar.ConfigListener listener = new Listener();
    for (int i = 0; i < identities.size(); i++) {
      sidecars.add(new SimulatedSidecar(i, identities.get(i), listener));
    }
  }

  private ManagedChannel channel(String host, int port, Optional<SslContext> tls) {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(host, port)
            .eventLoopGroup(io)
            .channelType(NioSocketChannel.class)
            .directExecutor()
            .maxInboundMessageSize(MAX_RESPONSE_BYTES)
            .userAgent("firemesh-bench-fanout");
    tls.ifPresentOrElse(builder::sslContext, builder::usePlaintext);
    return builder.build();
  }

  /**
   * How many of {@code channels} connections each service gets: one each to begin with, then one at
   * a time to the service whose connections carry the most sidecars each, never more than a service
   * has sidecars. The total is {@code channels}, or the number of services if larger, or the number
   * of sidecars if smaller.
   */
  static Map<String, Integer> shares(Map<String, Integer> sidecarsByService, int channels) {
    Map<String, Integer> shares = new LinkedHashMap<>();
    sidecarsByService.keySet().forEach(service -> shares.put(service, 1));
    for (int given = shares.size(); given < channels; given++) {
      String busiest = null;
      double most = 0;
      for (Map.Entry<String, Integer> share : shares.entrySet()) {
        int sidecars = sidecarsByService.get(share.getKey());
        double load = (double) sidecars / share.getValue();
        if (share.getValue() < sidecars && load > most) {
          busiest = share.getKey();
          most = load;
        }
      }
      if (busiest == null) {
        break; // every sidecar has a connection of its own
      }
      shares.merge(busiest, 1, Integer::sum);
    }
    return shares;
  }

  /** Opens every sidecar's stream, on a connection of its service; returns at once. */
  public void connect() {
    Map<String, Integer> next = new HashMap<>();
    for (SimulatedSidecar sidecar : sidecars) {
      List<ManagedChannel> own = channelsByService.get(sidecar.identity().service());
      int turn = next.merge(sidecar.identity().service(), 1, Integer::sum) - 1;
      sidecar.open(own.get(turn % own.size()));
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

  /** The connections in all. */
  public int channels() {
    return channelsByService.values().stream().mapToInt(List::size).sum();
  }

  /** The connections of each service, in the order the services first appear among the sidecars. */
  public Map<String, Integer> channelsByService() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    channelsByService.forEach((service, own) -> counts.put(service, own.size()));
    return counts;
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
    List<ManagedChannel> channels =
        channelsByService.values().stream().flatMap(List::stream).toList();
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
