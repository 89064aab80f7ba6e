package dev.firemesh.control.canary;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.Canary;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.ResourceKey;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.control.catalog.ApplyOutcome;
import dev.firemesh.control.catalog.NoSuchResourceException;
import dev.firemesh.control.catalog.ResourceCatalog;
import dev.firemesh.control.scrape.SidecarScraper;
import dev.firemesh.store.Leadership;
import dev.firemesh.store.canary.CanaryDecision;
import dev.firemesh.store.canary.CanaryRun;
import dev.firemesh.store.canary.CanaryRuns;
import dev.firemesh.store.canary.RunState;
import dev.firemesh.store.resource.StoredResource;
import dev.firemesh.xds.server.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out every Canary: one virtual thread, in the replica that leads (a PostgreSQL advisory
 * lock, {@link Leadership}), every {@code tick}.
 *
 * <p>A run starts when a Canary appears or its spec changes: the first step's weight is applied to
 * the Route rule, and the callers' sidecars' counters are read as the window's baseline. Once the
 * step's interval has passed the counters are read again and {@link CanaryJudge} decides on the
 * difference. Weights change only through {@link ResourceCatalog#revise}, the path {@code firemesh
 * apply} takes: each is a validated Route revision, pushed over xDS and listed in {@code firemesh
 * history} with the controller as its actor and the decision as its message. Every decision is
 * logged (INFO, key=value) and kept with its figures in the store ({@link CanaryRuns}), so a
 * restarted control plane, or another replica that takes the lead, carries on at the step the run
 * was at, with a fresh window (baselines live in memory: counters read by another process cannot be
 * trusted as a start). A finished run (promoted or failed) is not run again unless the Canary's
 * spec changes; a deleted Canary's run is forgotten and its Route left as it is.
 *
 * <p>All state but the store's belongs to the controller's thread.
 */
public final class CanaryController implements AutoCloseable {
  /** The actor of the Route revisions the controller writes. */
  public static final String ACTOR = "canary-controller";

  /** The advisory lock the leading replica holds, the same in every replica. */
  public static final long LEAD_LOCK = 0x6669_7265_6361_6E61L; // "firecana"

  private static final Logger log = LoggerFactory.getLogger(CanaryController.class);

  private final ResourceCatalog catalog;
  private final CanaryRuns runs;
  private final Leadership leadership;
  private final Supplier<List<NodeStatus>> nodes;
  private final SidecarScraper scraper;
  private final Clock clock;
  private final Duration tick;
  private final Map<String, Window> windows = new HashMap<>();
  private final Thread worker;
  private volatile boolean running = true;

  /**
   * The counters a step is judged against: each sidecar's, by node id, when the window opened.
   *
   * @param intervals how many step intervals the window spans (more after a wait)
   */
  private record Window(
      Instant start, int intervals, Map<String, Map<String, UpstreamCounters>> baseline) {
    /**
     * The window one interval longer. Sidecars read now but not at its start (a sidecar that
     * connected late, as all do after a control-plane restart) count from now on.
     */
    Window extended(Map<String, Map<String, UpstreamCounters>> now) {
      Map<String, Map<String, UpstreamCounters>> merged = new HashMap<>(now);
      merged.putAll(baseline);
      return new Window(start, intervals + 1, merged);
    }
  }

  private CanaryController(
      ResourceCatalog catalog,
      CanaryRuns runs,
      Leadership leadership,
      Supplier<List<NodeStatus>> nodes,
      Duration tick) {
    this.catalog = catalog;
    this.runs = runs;
    this.leadership = leadership;
    this.nodes = nodes;
    this.scraper = new SidecarScraper(Duration.ofSeconds(1), Duration.ofSeconds(2));
    this.clock = Clock.systemUTC();
    this.tick = tick;
    this.worker = Thread.ofVirtual().name("canary-controller").unstarted(this::loop);
  }

  /**
   * Starts the controller's thread.
   *
   * @param nodes the xDS nodes this replica serves; their sidecars' admin addresses are scraped
   */
  public static CanaryController start(
      ResourceCatalog catalog,
      CanaryRuns runs,
      Leadership leadership,
      Supplier<List<NodeStatus>> nodes,
      Duration tick) {
    CanaryController controller = new CanaryController(catalog, runs, leadership, nodes, tick);
    controller.worker.start();
    return controller;
  }

  private void loop() {
    while (running) {
      try {
        if (leadership.lead()) {
          pass();
        } else {
          windows.clear(); // another replica leads; if the lead comes back, windows start afresh
        }
      } catch (RuntimeException e) {
        // The store or the catalog failed (a restart of PostgreSQL, a conflict that outlasted
        // the retries): nothing was decided; the next pass tries again.
        log.warn("canary pass failed, trying again in {} ms: {}", tick.toMillis(), e.toString());
      }
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        break;
      }
    }
    leadership.close();
  }

  /** One look at every Canary. */
  private void pass() {
    List<StoredResource> canaries = catalog.list(Optional.of(Kind.CANARY));
    Map<String, CanaryRun> byName = new HashMap<>();
    runs.runs().forEach(r -> byName.put(r.canary(), r));
    Set<String> present = new HashSet<>();
    Scrape scrape = new Scrape();
    for (StoredResource stored : canaries) {
      present.add(stored.name());
      Canary canary = (Canary) ResourceCodec.fromJson(stored.body());
      CanaryRun run = byName.get(stored.name());
      if (run == null || !run.spec().equals(stored.body())) {
        begin(canary, stored.body(), run != null);
      } else if (!run.state().finished()) {
        carryOn(canary, run, scrape);
      }
    }
    for (String name : byName.keySet()) {
      if (!present.contains(name)) {
        runs.remove(name);
        windows.remove(name);
        log.info("canary={} deleted: its run is forgotten, its Route left as it is", name);
      }
    }
  }

  /** Reads the sidecars at most once per pass, when a window first needs it. */
  private final class Scrape {
    private Map<String, Map<String, UpstreamCounters>> tables;

    Map<String, Map<String, UpstreamCounters>> tables() {
      if (tables == null) {
        tables = new HashMap<>();
        scraper
            .scrape(nodes.get(), UpstreamTable.PREFIX)
            .sidecars()
            .forEach((node, parsed) -> tables.put(node, UpstreamTable.read(parsed)));
      }
      return tables;
    }
  }

  private void begin(Canary canary, String spec, boolean again) {
    Canary.Spec s = canary.spec();
    int weight = s.steps().getFirst();
    Instant now = clock.instant();
    String reason =
        (again ? "spec changed, started again" : "started")
            + ": "
            + s.canary()
            + " at "
            + weight
            + "%, "
            + s.stable()
            + " at "
            + (100 - weight)
            + "%";
    Optional<OptionalLong> revision =
        setWeight(canary, weight, message(canary, 0, reason), now, spec, 0, "start");
    if (revision.isEmpty()) {
      return;
    }
    windows.put(canary.name(), new Window(now, 1, new Scrape().tables()));
    CanaryRun run =
        new CanaryRun(
            canary.name(), spec, RunState.PROGRESSING, 0, weight, 0, now, now, now, reason);
    Verdict verdict = new Verdict(Decision.START, reason, StepFigures.NONE);
    record(canary, run, verdict, revision.get(), true, true);
  }

  private void carryOn(Canary canary, CanaryRun run, Scrape scrape) {
    Canary.Spec s = canary.spec();
    Instant now = clock.instant();
    Window window = windows.get(canary.name());
    if (window == null) {
      // A restart or a change of lead: the run goes on at its step with a new window. Its weight
      // is applied again (no revision if the Route already has it), so a Route the run did not
      // finish writing, or one changed by hand meanwhile, is brought back in line.
      String reason = "resumed at step " + (run.step() + 1) + "/" + s.steps().size();
      Optional<OptionalLong> revision =
          setWeight(
              canary,
              run.weight(),
              message(canary, run.step(), reason),
              now,
              run.spec(),
              run.step(),
              "resume");
      if (revision.isEmpty()) {
        return;
      }
      windows.put(canary.name(), new Window(now, 1, scrape.tables()));
      log.info(
          "canary={} step={}/{} weight={} window opened ({})",
          canary.name(),
          run.step() + 1,
          s.steps().size(),
          run.weight(),
          reason);
      return;
    }
    if (now.isBefore(window.start().plus(s.stepInterval().multipliedBy(window.intervals())))) {
      return;
    }
    Map<String, Map<String, UpstreamCounters>> current = scrape.tables();
    UpstreamCounters canaryCounts =
        increase(window.baseline(), current, s.service() + "|" + s.canary());
    UpstreamCounters stableCounts =
        increase(window.baseline(), current, s.service() + "|" + s.stable());
    boolean last = run.step() == s.steps().size() - 1;
    Verdict verdict =
        CanaryJudge.judge(s.analysis(), canaryCounts, stableCounts, run.waits(), last);
    int step = run.step();
    switch (verdict.decision()) {
      case WAIT, HOLD -> {
        windows.put(canary.name(), window.extended(current));
        RunState state = verdict.decision() == Decision.HOLD ? RunState.HELD : RunState.PROGRESSING;
        CanaryRun waiting =
            next(run, state, step, run.weight(), run.waits() + 1, now, verdict.reason());
        // A held run is judged every interval; only the change to held goes into its history.
        boolean changed = run.state() != state;
        record(canary, waiting, verdict, OptionalLong.empty(), changed, false);
      }
      case ROLL_BACK -> {
        windows.remove(canary.name());
        String why = "rolled back at step " + (step + 1) + "/" + s.steps().size() + ": ";
        Optional<OptionalLong> revision =
            setWeight(
                canary,
                0,
                message(canary, step, why + verdict.reason()),
                now,
                run.spec(),
                step,
                "roll-back");
        if (revision.isPresent()) {
          CanaryRun failed =
              next(run, RunState.FAILED, step, 0, run.waits(), now, why + verdict.reason());
          record(canary, failed, verdict, revision.get(), true, false);
        }
      }
      case ADVANCE -> {
        int weight = s.steps().get(step + 1);
        String why =
            "step "
                + (step + 1)
                + " passed ("
                + verdict.reason()
                + "); "
                + s.canary()
                + " to "
                + weight
                + "%";
        Optional<OptionalLong> revision =
            setWeight(
                canary, weight, message(canary, step + 1, why), now, run.spec(), step, "advance");
        if (revision.isPresent()) {
          windows.put(canary.name(), new Window(now, 1, current));
          CanaryRun advanced =
              new CanaryRun(
                  run.canary(),
                  run.spec(),
                  RunState.PROGRESSING,
                  step + 1,
                  weight,
                  0,
                  run.startedAt(),
                  now,
                  now,
                  why);
          record(canary, advanced, verdict, revision.get(), true, false);
        }
      }
      case PROMOTE -> {
        windows.remove(canary.name());
        String why = "promoted: every step passed (" + verdict.reason() + ")";
        Optional<OptionalLong> revision =
            setWeight(canary, 100, message(canary, step, why), now, run.spec(), step, "promote");
        if (revision.isPresent()) {
          CanaryRun promoted = next(run, RunState.PROMOTED, step, 100, run.waits(), now, why);
          record(canary, promoted, verdict, revision.get(), true, false);
        }
      }
      case START, ABORT -> throw new IllegalStateException("the judge never decides " + verdict);
    }
  }

  private static CanaryRun next(
      CanaryRun run, RunState state, int step, int weight, int waits, Instant now, String reason) {
    return new CanaryRun(
        run.canary(),
        run.spec(),
        state,
        step,
        weight,
        waits,
        run.startedAt(),
        run.stepStartedAt(),
        now,
        reason);
  }

  /**
   * Sets the canary's weight in its Route rule.
   *
   * @return the revision written (empty inside if the Route already had that weight), or empty if
   *     the Route refused the change: the run is then recorded as failed with the reason
   */
  private Optional<OptionalLong> setWeight(
      Canary canary, int weight, String message, Instant now, String spec, int step, String doing) {
    Canary.Spec s = canary.spec();
    try {
      ApplyOutcome outcome =
          catalog.revise(
              new ResourceKey(Kind.ROUTE, s.route()),
              canary.key().toString(),
              RuleWeights.set(s, weight),
              ACTOR,
              message);
      return Optional.of(
          outcome.unchanged() ? OptionalLong.empty() : OptionalLong.of(outcome.revision()));
    } catch (RuleWeights.MissingRuleException
        | NoSuchResourceException
        | InvalidResourceException e) {
      String reason =
          "could not set "
              + s.canary()
              + " to "
              + weight
              + "% in Route/"
              + s.route()
              + " ("
              + doing
              + "): "
              + e.getMessage();
      windows.remove(canary.name());
      Optional<CanaryRun> known = runs.run(canary.name()).filter(r -> r.spec().equals(spec));
      CanaryRun failed =
          known
              .map(r -> next(r, RunState.FAILED, r.step(), r.weight(), r.waits(), now, reason))
              .orElse(
                  new CanaryRun(
                      canary.name(), spec, RunState.FAILED, step, 0, 0, now, now, now, reason));
      record(
          canary,
          failed,
          new Verdict(Decision.ABORT, reason, StepFigures.NONE),
          OptionalLong.empty(),
          true,
          known.isEmpty());
      return Optional.empty();
    }
  }

  /** The increase of a cluster's counters over the window, summed over the sidecars. */
  private static UpstreamCounters increase(
      Map<String, Map<String, UpstreamCounters>> baseline,
      Map<String, Map<String, UpstreamCounters>> current,
      String cluster) {
    UpstreamCounters sum = UpstreamCounters.NONE;
    for (Map.Entry<String, Map<String, UpstreamCounters>> sidecar : current.entrySet()) {
      Map<String, UpstreamCounters> before = baseline.get(sidecar.getKey());
      if (before == null) {
        continue; // not read when the window opened: its counts would reach back before it
      }
      UpstreamCounters now = sidecar.getValue().getOrDefault(cluster, UpstreamCounters.NONE);
      sum = sum.plus(now.since(before.getOrDefault(cluster, UpstreamCounters.NONE)));
    }
    return sum;
  }

  private static String message(Canary canary, int step, String reason) {
    return "canary "
        + canary.name()
        + " step "
        + (step + 1)
        + "/"
        + canary.spec().steps().size()
        + ": "
        + reason;
  }

  /**
   * Logs a decision and stores the run's new state: with the decision if {@code kept}; as a new
   * run, forgetting an earlier one's history, if {@code fresh}.
   */
  private void record(
      Canary canary,
      CanaryRun run,
      Verdict verdict,
      OptionalLong revision,
      boolean kept,
      boolean fresh) {
    log.info(
        "canary={} step={}/{} weight={} {} decision={} state={}{} reason=\"{}\"",
        canary.name(),
        run.step() + 1,
        canary.spec().steps().size(),
        run.weight(),
        verdict.figures().logText(),
        verdict.decision().wireName(),
        run.state().name().toLowerCase(java.util.Locale.ROOT),
        revision.isPresent() ? " revision=" + revision.getAsLong() : "",
        verdict.reason());
    StepFigures f = verdict.figures();
    CanaryDecision decision =
        new CanaryDecision(
            0,
            run.updatedAt(),
            run.step(),
            run.weight(),
            verdict.decision().wireName(),
            verdict.reason(),
            f.canaryRequests(),
            f.canaryErrors(),
            f.stableRequests(),
            f.stableErrors(),
            f.canaryP99Millis(),
            f.stableP99Millis(),
            revision);
    if (fresh) {
      runs.start(run, decision);
    } else {
      runs.update(run, kept ? Optional.of(decision) : Optional.empty());
    }
  }

  /** Stops the thread and lets go of the lead. */
  @Override
  public void close() {
    running = false;
    worker.interrupt();
    try {
      worker.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
