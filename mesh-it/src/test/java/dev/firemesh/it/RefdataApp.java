package dev.firemesh.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.ReferenceSeed;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.refdata.owner.Command;
import dev.firemesh.chassis.refdata.owner.Edit;
import dev.firemesh.chassis.refdata.replica.ReferenceDataReplica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference data on the chassis, run by the end-to-end tests as processes of their own behind
 * sidecars: {@code RefdataApp owner READY_FILE} owns venues and instruments (seeded from {@link
 * ReferenceSeed} on first start); {@code RefdataApp reader READY_FILE} follows them through its
 * sidecar and answers {@code GET /instruments/{isin}} and {@code GET /replica} from its replica.
 */
public final class RefdataApp {
  private RefdataApp() {}

  public static void main(String[] args) throws Exception {
    boolean owner = args[0].equals("owner");
    ObjectMapper json = new ObjectMapper();
    Chassis.Builder builder = Chassis.builder().drainDelay(Duration.ofMillis(200));
    if (owner) {
      builder.ownReferenceData(ReferenceSets.VENUES, ReferenceSets.INSTRUMENTS);
    } else {
      builder
          .referenceData("reference-data", ReferenceSets.VENUES, ReferenceSets.INSTRUMENTS)
          .routes(
              context -> {
                ReferenceDataReplica replica = context.referenceData();
                return HttpRoutes.builder()
                    .get(
                        "/instruments/{isin}",
                        request ->
                            replica
                                .view()
                                .of(ReferenceSets.INSTRUMENTS)
                                .get(request.pathParam("isin"))
                                .map(
                                    instrument ->
                                        HttpResponse.json(
                                            200,
                                            ReferenceSets.INSTRUMENTS
                                                .toJson(instrument)
                                                .toString()))
                                .orElse(HttpResponse.error(404, "no such instrument")))
                    .get(
                        "/replica",
                        request -> {
                          ObjectNode body = json.createObjectNode();
                          body.put("version", replica.version());
                          body.put("lagMillis", replica.lagMillis());
                          body.put("state", replica.state().getClass().getSimpleName());
                          body.put("reloads", replica.reloads());
                          return HttpResponse.json(200, body.toString());
                        })
                    .build();
              });
    }
    Chassis chassis = builder.start();
    if (owner) {
      List<Edit> seed = new ArrayList<>();
      ReferenceSeed.venues().forEach(v -> seed.add(Edit.upsert(ReferenceSets.VENUES, v)));
      for (Instrument instrument : ReferenceSeed.instruments()) {
        seed.add(Edit.upsert(ReferenceSets.INSTRUMENTS, instrument));
      }
      chassis
          .context()
          .referenceDataOwner()
          .apply(Command.of("seed-v1", seed.toArray(Edit[]::new)));
    }
    Path ready = Path.of(args[args.length - 1]);
    Path partial = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(partial, Integer.toString(chassis.address().getPort()));
    Files.move(partial, ready);
    chassis.awaitStop();
  }
}
