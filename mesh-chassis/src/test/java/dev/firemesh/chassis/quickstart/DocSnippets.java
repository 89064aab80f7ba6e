package dev.firemesh.chassis.quickstart;

import static dev.firemesh.chassis.refdata.domain.ReferenceSets.INSTRUMENTS;
import static dev.firemesh.chassis.refdata.domain.ReferenceSets.VENUES;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.ServiceContext;
import dev.firemesh.chassis.config.DurationRange;
import dev.firemesh.chassis.config.Secret;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.health.HealthCheck;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.Venue;
import dev.firemesh.chassis.refdata.owner.Applied;
import dev.firemesh.chassis.refdata.owner.Command;
import dev.firemesh.chassis.refdata.owner.Edit;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.chassis.refdata.replica.ReferenceDataReplica;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shorter snippets of docs/chassis.md, compiled so they keep to the API; not run (the
 * getting-started service itself is run by {@link QuickstartServiceTest}). Keep them the same as
 * the doc's.
 */
final class DocSnippets {
  private static final Logger log = LoggerFactory.getLogger(DocSnippets.class);

  private DocSnippets() {}

  static Chassis standalone(Chassis referenceData, Chassis risk) {
    Chassis tickets =
        QuickstartService.tickets()
            .standalone()
            .referenceDataAt(URI.create("http://127.0.0.1:" + referenceData.address().getPort()))
            .serviceAt("risk", URI.create("http://127.0.0.1:" + risk.address().getPort()))
            .stopOnSigterm(false) // a test stops it with close()
            .start();
    return tickets;
  }

  static Chassis owner(Path dataDir) {
    Chassis referenceData =
        Chassis.builder()
            .service("reference-data")
            .standalone()
            .dataDirectory(dataDir) // its embedded PostgreSQL lives under dataDir/postgres
            .ownReferenceData(VENUES, INSTRUMENTS)
            .start();
    return referenceData;
  }

  record RiskFeedConfig(Secret apiKey, @DurationRange(max = "5s") Duration timeout) {}

  static String secret(ServiceConfig<RiskFeedConfig> config) {
    // .config(RiskFeedConfig.class, new RiskFeedConfig(null, Duration.ofSeconds(1))): apiKey
    // required
    String key = config.get().apiKey().reveal();
    return key;
  }

  static void health(ServiceContext context) {
    context.health().register("fix-session", () -> HealthCheck.Status.UP);
  }

  static Applied command(ServiceContext context, Instrument instrument) {
    ReferenceDataOwner owner = context.referenceDataOwner();
    Applied applied = owner.apply(Command.of("list-bae", Edit.upsert(INSTRUMENTS, instrument)));
    return applied;
  }

  static long replica(ServiceContext context) {
    ReferenceDataReplica replica = context.referenceData();
    ReferenceView view = replica.view();
    Optional<Instrument> bae = view.of(INSTRUMENTS).get("GB0002634946");
    List<Instrument> onXlon = view.of(INSTRUMENTS).by("venue", "XLON");
    List<Venue> venues = view.of(VENUES).all();
    long version = view.version();
    replica.onChange(
        update -> log.info("version {}: {} changes", update.version(), update.changes().size()));
    return version + bae.map(i -> 1).orElse(0) + onXlon.size() + venues.size();
  }
}
