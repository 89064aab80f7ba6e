package dev.firemesh.examples.trading.referencedata.http;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.refdata.owner.Applied;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.ChassisReady;
import dev.firemesh.examples.trading.referencedata.domain.SeedCommand;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference-data service, on the chassis: the owner of venues, instruments and accounts, kept
 * in its store (an embedded PostgreSQL under {@code FIREMESH_STATE_DIR} unless {@code
 * FIREMESH_STORE_URL} names one), changed by commands ({@code POST /firemesh/refdata/v1/commands})
 * and followed by the replicas of orders and risk. Seeded on first start, before it serves.
 * Argument: {@code --ready-file FILE} (optional).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("reference-data");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("reference-data", argv);
    Chassis chassis =
        Chassis.builder()
            // The replicas' long polls are in flight at any moment: waiting for them the default
            // 10 s would outlast a launcher's grace (the demo's is 10 s) and leave the store's
            // server behind a SIGKILL; they resume from their version against the next owner.
            .stopGrace(Duration.ofSeconds(3))
            .ownReferenceData(
                ReferenceSets.VENUES, ReferenceSets.INSTRUMENTS, ReferenceSets.ACCOUNTS)
            .routes(
                context -> {
                  // Before the first request and before it registers: no reader sees it empty.
                  ReferenceDataOwner owner = context.referenceDataOwner();
                  Applied seed = owner.apply(SeedCommand.of());
                  log.info(
                      "reference data at version {} ({}): {} venues, {} instruments, {} accounts",
                      owner.version(),
                      seed.repeated() ? "seeded before" : "seeded now",
                      owner.view().of(ReferenceSets.VENUES).size(),
                      owner.view().of(ReferenceSets.INSTRUMENTS).size(),
                      owner.view().of(ReferenceSets.ACCOUNTS).size());
                  return new ReferenceDataRoutes(owner::view).routes();
                })
            .start();
    ChassisReady.announce(args, chassis);
    chassis.awaitStop();
  }
}
