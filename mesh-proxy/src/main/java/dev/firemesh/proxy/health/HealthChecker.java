package dev.firemesh.proxy.health;

import dev.firemesh.proxy.tls.UpstreamTls;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.route.Router;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the active health checks the configuration asks for: one probe per cluster and endpoint
 * whose cluster has a check, each checking every interval (plus or minus 10 %, and starting at a
 * random point of the first interval, so that checks of many endpoints spread out) and reporting
 * each result to the router, which counts the thresholds. All on one event loop, which owns the
 * probes; {@link #apply} may be called from any thread.
 */
public final class HealthChecker implements AutoCloseable {
  private final Router router;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final UpstreamTls tls;
  private final Map<ProbeKey, Probe> probes = new HashMap<>(); // the loop's
  private boolean closed; // the loop's

  public HealthChecker(
      Router router,
      EventLoop loop,
      Class<? extends Channel> channelType,
      ByteBufAllocator allocator) {
    this(router, loop, channelType, allocator, UpstreamTls.PLAINTEXT);
  }

  /**
   * Checks go over mTLS to endpoints with an identity, as requests do: a strict peer refuses
   * plaintext, and a check must reach what requests reach.
   */
  public HealthChecker(
      Router router,
      EventLoop loop,
      Class<? extends Channel> channelType,
      ByteBufAllocator allocator,
      UpstreamTls tls) {
    this.tls = tls;
    this.router = router;
    this.loop = loop;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(channelType)
            .option(ChannelOption.ALLOCATOR, allocator)
            .option(ChannelOption.TCP_NODELAY, true);
  }

  /** Starts, keeps or stops probes so that they match {@code config}. */
  public void apply(DataPlaneConfig config) {
    try {
      loop.execute(() -> reconcile(config));
    } catch (RejectedExecutionException e) {
      // the sidecar is closing: no more checks
    }
  }

  /** How many probes run now (one per cluster and endpoint with a check), for tests. */
  int probes() {
    return probes.size();
  }

  private void reconcile(DataPlaneConfig config) {
    if (closed) {
      return;
    }
    Map<ProbeKey, Target> wanted = new HashMap<>();
    for (ClusterConfig cluster : config.clusters().values()) {
      if (!cluster.healthCheck().enabled()) {
        continue;
      }
      for (Endpoint endpoint : cluster.endpoints()) {
        wanted.put(
            new ProbeKey(cluster.name(), endpoint.hostPort()),
            new Target(cluster.healthCheck(), socketAddress(endpoint), endpoint.identity()));
      }
    }
    for (Iterator<Map.Entry<ProbeKey, Probe>> it = probes.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<ProbeKey, Probe> entry = it.next();
      if (!entry.getValue().target.equals(wanted.get(entry.getKey()))) {
        entry.getValue().cancel();
        it.remove();
      }
    }
    wanted.forEach(
        (key, target) -> {
          if (!probes.containsKey(key)) {
            Probe probe = new Probe(key, target);
            probes.put(key, probe);
            probe.schedule(randomBelow(target.check().interval()));
          }
        });
  }

  @Override
  public void close() {
    try {
      loop.submit(
              () -> {
                closed = true;
                probes.values().forEach(Probe::cancel);
                probes.clear();
              })
          .awaitUninterruptibly(2, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      // the loop is already gone, and its timers with it
    }
  }

  private static Duration randomBelow(Duration interval) {
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(Math.max(1, interval.toNanos())));
  }

  private static Duration jittered(Duration interval) {
    long nanos = interval.toNanos();
    return Duration.ofNanos(
        nanos - nanos / 10 + ThreadLocalRandom.current().nextLong(nanos / 5 + 1));
  }

  /** An IP literal as is (endpoints come from the control plane); a name left to Netty. */
  private static InetSocketAddress socketAddress(Endpoint endpoint) {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(endpoint.address());
    if (ip == null) {
      return InetSocketAddress.createUnresolved(endpoint.address(), endpoint.port());
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), endpoint.port());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a parsed IP literal was refused: " + endpoint, e);
    }
  }

  private record ProbeKey(String cluster, String hostPort) {}

  private record Target(HealthCheck check, InetSocketAddress address, String identity) {}

  /** Checks one endpoint of one cluster, one check at a time, until cancelled. */
  private final class Probe {
    private final ProbeKey key;
    private final Target target;
    private ScheduledFuture<?> next;
    private boolean cancelled;

    Probe(ProbeKey key, Target target) {
      this.key = key;
      this.target = target;
    }

    void schedule(Duration delay) {
      next = loop.schedule(this::check, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void check() {
      if (cancelled) {
        return;
      }
      CheckAttempt.run(
          bootstrap,
          target.address(),
          target.check(),
          (channel, alpn) ->
              tls.secure(channel, alpn, target.identity(), key.cluster(), target.check().timeout()),
          passed -> {
            if (cancelled) {
              return;
            }
            router.recordHealthCheck(key.cluster(), key.hostPort(), passed);
            schedule(jittered(target.check().interval()));
          });
    }

    void cancel() {
      cancelled = true;
      if (next != null) {
        next.cancel(false);
      }
    }
  }
}
