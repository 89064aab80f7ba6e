package dev.firemesh.bench.fanout;

import dev.firemesh.identity.WorkloadCredentials;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Measures control-plane fan-out: for each fleet size of the plan, connects that many simulated
 * sidecars, waits until each holds a whole configuration, then applies the probe Service's port
 * change through the admin API, one apply at a time, and times its arrival at every sidecar.
 *
 * <pre>{@code
 * ControlPlaneAddress controlPlane = ControlPlaneAddress.fromDataDir(Path.of("/tmp/fm"));
 * FanoutReport report =
 *     new FanoutDriver(controlPlane, FanoutPlan.of(List.of(10, 100, 1000), 20), System.out::println)
 *         .run();
 * }</pre>
 *
 * <p>Each round first enrols every service of its sidecars (one join token and one SVID per
 * service, on the operator's token), as sidecars started by an operator do, and the fleet's
 * connections present those certificates on the xDS stream.
 *
 * <p>The probe Service is created by the first apply and deleted at the end of {@link #run()}. The
 * sidecars' node ids ({@code fanout-sidecar-0000}, ...) are reused from one fleet size to the next,
 * so the control plane knows at most the largest fleet's nodes (it keeps a disconnected node's
 * snapshot for a few minutes, and updates it with the others).
 */
public final class FanoutDriver {
  /** Ports the probe cycles through; the start is random, so a rerun does not repeat the last. */
  private static final int FIRST_PORT = 20_000;

  private static final int PORTS = 40_000;

  private final ControlPlaneAddress controlPlane;
  private final FanoutPlan plan;
  private final Consumer<String> progress;
  private final ApplyClient admin;
  private final ProbeService probe;
  private final ServiceEnrolment enrolment;
  private int nextPort = ThreadLocalRandom.current().nextInt(PORTS);

  public FanoutDriver(
      ControlPlaneAddress controlPlane, FanoutPlan plan, Consumer<String> progress) {
    this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.admin =
        new ApplyClient(controlPlane.admin(), controlPlane.token(), controlPlane.caBundle());
    this.probe = new ProbeService(plan.probeService());
    this.enrolment = new ServiceEnrolment(admin);
  }

  /** Every fleet size of the plan, in order; then deletes the probe Service. */
  public FanoutReport run() throws InterruptedException {
    String started = Instant.now().toString();
    List<FanoutResult> results = new ArrayList<>();
    try {
      for (int clients : plan.clientCounts()) {
        FanoutResult result = measure(clients);
        progress.accept(result.summaryLine());
        results.add(result);
      }
    } finally {
      try {
        admin.delete("service", probe.name());
      } catch (ApplyClient.AdminCallException e) {
        // The run's own outcome (or failure) matters more than the clean-up's.
        progress.accept(
            "could not delete the probe Service " + probe.name() + ": " + e.getMessage());
      }
    }
    return new FanoutReport(
        controlPlane.admin().toString(),
        controlPlane.xdsHost() + ":" + controlPlane.xdsPort(),
        started,
        probe.name(),
        results);
  }

  /** One fleet size: connect, wait for every first configuration, apply and time. */
  public FanoutResult measure(int clients) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    int initialPort = applyProbe("fanout: " + clients + " sidecars connect").port();
    List<SidecarIdentity> identities = identities(clients);
    int channels = plan.channelsFor(clients);
    try (SidecarFleet fleet =
        new SidecarFleet(
            controlPlane.xdsHost(),
            controlPlane.xdsPort(),
            identities,
            channels,
            plan.ioThreads(),
            probe,
            enrol(identities))) {
      Rollout initial = new Rollout(initialPort, clients);
      fleet.watch(initial);
      long opened = System.nanoTime();
      fleet.connect();
      boolean connected = initial.await(plan.timeout());
      long connectMillis = connected ? TimeUnit.NANOSECONDS.toMillis(latest(initial) - opened) : -1;
      if (!connected) {
        problems.add(
            initial.arrivedCount()
                + " of "
                + clients
                + " sidecars had their first configuration after "
                + plan.timeout()
                + lost(fleet));
        return result(clients, fleet, -1, 0, 0, connectMillis, new Samples(), problems);
      }
      int knownNodes = knownNodes();
      progress.accept(
          clients
              + " sidecars have their configuration after "
              + connectMillis
              + " ms; the control plane knows "
              + knownNodes
              + " xDS nodes");

      for (int i = 1; i <= plan.warmupApplies(); i++) {
        if (!applyAndTime(fleet, "warm-up apply " + i, new Samples(), problems)) {
          return result(clients, fleet, knownNodes, 0, 0, connectMillis, new Samples(), problems);
        }
        Thread.sleep(plan.pause());
      }

      Samples samples = new Samples();
      int reachingAll = 0;
      for (int i = 1; i <= plan.applies(); i++) {
        if (applyAndTime(fleet, "apply " + i, samples, problems)) {
          reachingAll++;
        }
        Thread.sleep(plan.pause());
      }
      return result(
          clients,
          fleet,
          knownNodes,
          plan.applies(),
          reachingAll,
          connectMillis,
          samples,
          problems);
    }
  }

  /**
   * An SVID for each service among {@code identities}, enrolled afresh for the round: the control
   * plane serves xDS only to a connection that proves the service its streams ask for.
   */
  private XdsChannelSecurity enrol(List<SidecarIdentity> identities) throws InterruptedException {
    Map<String, WorkloadCredentials> svids = new LinkedHashMap<>();
    for (SidecarIdentity identity : identities) {
      if (!svids.containsKey(identity.service())) {
        svids.put(identity.service(), enrolment.enrol(identity.service()));
      }
    }
    return XdsChannelSecurity.svids(svids);
  }

  /** Applies the next port and times it; true if every sidecar had it within the timeout. */
  private boolean applyAndTime(
      SidecarFleet fleet, String which, Samples samples, List<String> problems)
      throws InterruptedException {
    int port = takePort();
    Rollout rollout = new Rollout(port, fleet.size());
    fleet.watch(rollout);
    long sent = System.nanoTime();
    ApplyClient.Applied applied =
        admin.apply(
            probe.name() + ".yaml",
            probe.yaml(port),
            "fanout: " + which + " to " + fleet.size() + " sidecars");
    long returned = System.nanoTime();
    samples.applyCall.recordValue(micros(returned - sent));
    if (applied.unchanged()) {
      problems.add(which + " (port " + port + ") changed nothing");
      return false;
    }
    boolean reachedAll = rollout.await(plan.timeout());
    for (int i = 0; i < rollout.sidecars(); i++) {
      if (!rollout.arrived(i)) {
        samples.missed++;
        continue;
      }
      long arrival = rollout.arrival(i);
      if (arrival < returned) {
        samples.beforeReturn++;
      }
      samples.eachAfterReturn.recordValue(micros(Math.max(0, arrival - returned)));
      samples.eachAfterSend.recordValue(micros(arrival - sent));
    }
    if (!reachedAll) {
      problems.add(
          which
              + " (port "
              + port
              + ", revision "
              + applied.revision()
              + "): "
              + rollout.arrivedCount()
              + " of "
              + rollout.sidecars()
              + " sidecars had it after "
              + plan.timeout()
              + lost(fleet));
      return false;
    }
    long first = Long.MAX_VALUE;
    for (int i = 0; i < rollout.sidecars(); i++) {
      first = Math.min(first, rollout.arrival(i));
    }
    samples.firstAfterReturn.recordValue(micros(Math.max(0, first - returned)));
    long last = latest(rollout);
    samples.lastAfterReturn.recordValue(micros(Math.max(0, last - returned)));
    samples.lastAfterSend.recordValue(micros(last - sent));
    return true;
  }

  /** Applies the next port and waits until the xDS server serves that revision. */
  private ApplyResult applyProbe(String message) throws InterruptedException {
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = takePort();
      ApplyClient.Applied applied = admin.apply(probe.name() + ".yaml", probe.yaml(port), message);
      if (!applied.unchanged()) {
        awaitServing(applied.revision());
        return new ApplyResult(port, applied.revision());
      }
    }
    throw new IllegalStateException(
        "three applies of the probe Service " + probe.name() + " changed nothing");
  }

  private void awaitServing(long revision) throws InterruptedException {
    long deadline = System.nanoTime() + plan.timeout().toNanos();
    while (admin.servingRevision() < revision) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the xDS server did not serve revision " + revision + " within " + plan.timeout());
      }
      Thread.sleep(20);
    }
  }

  private record ApplyResult(int port, long revision) {}

  private int takePort() {
    int port = FIRST_PORT + nextPort;
    nextPort = (nextPort + 1) % PORTS;
    return port;
  }

  private List<SidecarIdentity> identities(int clients) {
    List<SidecarIdentity> identities = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      String id = String.format("fanout-sidecar-%04d", i);
      identities.add(
          plan.zones() == 0
              ? new SidecarIdentity(id, "fanout-caller", "", "")
              : new SidecarIdentity(id, "fanout-caller", "bench", "z" + (i % plan.zones())));
    }
    return identities;
  }

  private FanoutResult result(
      int clients,
      SidecarFleet fleet,
      int knownNodes,
      int applies,
      int reachingAll,
      long connectMillis,
      Samples samples,
      List<String> problems) {
    if (fleet.lost() > 0) {
      problems.add(fleet.lost() + " ADS streams were lost: " + fleet.lostReasons());
    }
    return new FanoutResult(
        clients,
        fleet.channels(),
        applies,
        reachingAll,
        samples.missed,
        samples.beforeReturn,
        fleet.lost(),
        fleet.nacks(),
        knownNodes,
        connectMillis,
        DelaySummary.of(samples.firstAfterReturn),
        DelaySummary.of(samples.lastAfterReturn),
        DelaySummary.of(samples.lastAfterSend),
        DelaySummary.of(samples.eachAfterReturn),
        DelaySummary.of(samples.eachAfterSend),
        DelaySummary.of(samples.applyCall),
        problems);
  }

  /** -1 if the control plane does not say: the count is context, not a measurement. */
  private int knownNodes() throws InterruptedException {
    try {
      return admin.knownNodes();
    } catch (ApplyClient.AdminCallException e) {
      return -1;
    }
  }

  private static String lost(SidecarFleet fleet) {
    return fleet.lost() == 0
        ? ""
        : " (" + fleet.lost() + " streams lost: " + fleet.lostReasons() + ")";
  }

  private static long latest(Rollout rollout) {
    long latest = Long.MIN_VALUE;
    for (int i = 0; i < rollout.sidecars(); i++) {
      latest = Math.max(latest, rollout.arrival(i));
    }
    return latest;
  }

  private static long micros(long nanos) {
    return TimeUnit.NANOSECONDS.toMicros(nanos);
  }

  /** The histograms of one fleet size. */
  private static final class Samples {
    final Histogram firstAfterReturn = DelaySummary.histogram();
    final Histogram lastAfterReturn = DelaySummary.histogram();
    final Histogram lastAfterSend = DelaySummary.histogram();
    final Histogram eachAfterReturn = DelaySummary.histogram();
    final Histogram eachAfterSend = DelaySummary.histogram();
    final Histogram applyCall = DelaySummary.histogram();
    long missed;
    long beforeReturn;
  }
}
