package dev.firemesh.examples.trading.risk.http;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.cqrs.CommandTypes;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.ChassisReady;
import dev.firemesh.examples.trading.plumbing.Dependencies;
import dev.firemesh.examples.trading.plumbing.Summary;
import dev.firemesh.examples.trading.risk.domain.AccountLimits;
import dev.firemesh.examples.trading.risk.domain.ExposureAggregate;
import dev.firemesh.examples.trading.risk.domain.ExposureTypes;
import dev.firemesh.examples.trading.risk.domain.ReferenceRates;
import dev.firemesh.examples.trading.risk.domain.RiskBook;
import dev.firemesh.examples.trading.risk.domain.RiskConfig;
import dev.firemesh.examples.trading.risk.domain.TrackOrderEvent;
import dev.firemesh.examples.trading.risk.exposure.EndOfDay;
import dev.firemesh.examples.trading.risk.exposure.ExposureProjection;
import dev.firemesh.examples.trading.risk.exposure.ExposureReadModel;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The risk service, on the chassis: limits from the accounts of its reference data replica, shaped
 * by its live configuration ({@link RiskConfig}); exposure per account event-sourced from the order
 * events orders forwards (aggregate {@code exposure}), projected into {@code risk_exposure}
 * (subscription {@code exposure}), its daily figures reset by the {@code end-of-day} task once
 * across risk's instances. Its store is {@code FIREMESH_STORE_URL}'s, shared by its instances.
 * Argument: {@code --ready-file FILE} (optional).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("risk");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("risk", argv);
    Dependencies.await("reference-data", "/venues");
    Chassis chassis = builder().start();
    ChassisReady.announce(args, chassis);
    chassis.awaitStop();
  }

  /** Risk as it runs, but for where it is and what it talks to: tests add those and start it. */
  public static Chassis.Builder builder() {
    return Chassis.builder()
        .service("risk")
        .config(RiskConfig.class, RiskConfig.DEFAULTS)
        .referenceData("reference-data", ReferenceSets.ACCOUNTS)
        .events(ExposureTypes.events())
        .commands(ExposureTypes.commands(CommandTypes.builder()).build())
        .aggregate(new ExposureAggregate(), TrackOrderEvent.class)
        .routes(
            context -> {
              // Before the projection runs and before anyone asks for exposure.
              ExposureProjection.createTable(context.store());
              ServiceConfig<RiskConfig> config = context.config(RiskConfig.class);
              RiskBook book =
                  new RiskBook(
                      new AccountLimits(
                          () -> context.referenceData().view().of(ReferenceSets.ACCOUNTS),
                          config::get,
                          ReferenceRates.sample()),
                      ReferenceRates.sample(),
                      InstantSource.system(),
                      Duration.ofMinutes(1));
              config.onChange(
                  (before, after, revision) ->
                      log.info("risk config revision {} in force: {}", revision, after));
              RiskRoutes routes = new RiskRoutes(book, new ExposureReadModel(context.store()));
              Summary.every(
                  Duration.ofSeconds(10),
                  log,
                  () ->
                      "limit checks: "
                          + routes.approved.sum()
                          + " approved, "
                          + routes.breached.sum()
                          + " breached");
              return routes.routes();
            })
        .subscriptions(context -> List.of(ExposureProjection.subscription()))
        .tasks(
            context ->
                List.of(
                    new EndOfDay(context.events()).task(context.config(RiskConfig.class).get())));
  }
}
