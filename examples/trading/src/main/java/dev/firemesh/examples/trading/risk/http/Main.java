package dev.firemesh.examples.trading.risk.http;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.ChassisReady;
import dev.firemesh.examples.trading.plumbing.Dependencies;
import dev.firemesh.examples.trading.plumbing.Summary;
import dev.firemesh.examples.trading.risk.domain.AccountLimits;
import dev.firemesh.examples.trading.risk.domain.ReferenceRates;
import dev.firemesh.examples.trading.risk.domain.RiskBook;
import dev.firemesh.examples.trading.risk.domain.RiskConfig;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The risk service, on the chassis: limits from the accounts of its reference data replica, shaped
 * by its live configuration ({@link RiskConfig}). Argument: {@code --ready-file FILE} (optional).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("risk");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("risk", argv);
    Dependencies.await("reference-data", "/venues");
    Chassis chassis =
        Chassis.builder()
            .config(RiskConfig.class, RiskConfig.DEFAULTS)
            .referenceData("reference-data", ReferenceSets.ACCOUNTS)
            .routes(
                context -> {
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
                  RiskRoutes routes = new RiskRoutes(book);
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
            .start();
    ChassisReady.announce(args, chassis);
    chassis.awaitStop();
  }
}
