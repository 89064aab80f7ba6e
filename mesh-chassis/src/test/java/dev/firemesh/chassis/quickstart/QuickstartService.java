package dev.firemesh.chassis.quickstart;

import static dev.firemesh.chassis.refdata.domain.ReferenceSets.INSTRUMENTS;
import static dev.firemesh.chassis.refdata.domain.ReferenceSets.VENUES;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.ServiceContext;
import dev.firemesh.chassis.config.ConfigRevision;
import dev.firemesh.chassis.config.Pattern;
import dev.firemesh.chassis.config.Range;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.http.HttpError;
import dev.firemesh.chassis.http.HttpRequest;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.replica.ReferenceDataReplica;
import java.math.BigDecimal;
import java.util.List;

/**
 * The getting-started service of docs/chassis.md, whole: {@code tickets} checks an order ticket
 * against its live configuration and the instruments in its local replica of reference data, then
 * asks {@code risk} through the mesh. The doc quotes this file; keep the two the same.
 */
public final class QuickstartService {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The service's settings: defaults in code; a Config resource overrides them, live. */
  public record TicketsConfig(
      @Range(min = 1, max = 10_000_000) long maxQuantity,
      List<@Pattern("[A-Z0-9]{4}") String> venues,
      boolean halted) {
    public static final TicketsConfig DEFAULTS =
        new TicketsConfig(10_000, List.of("XLON", "XPAR"), false);
  }

  /** Everything the service is, ready to start (a test adds its own options first). */
  public static Chassis.Builder tickets() {
    return Chassis.builder()
        .service("tickets")
        .config(TicketsConfig.class, TicketsConfig.DEFAULTS)
        .referenceData("reference-data", VENUES, INSTRUMENTS)
        .routes(context -> new Tickets(context).routes());
  }

  public static void main(String[] args) throws InterruptedException {
    tickets().start().awaitStop();
  }

  /** The business logic: plain code over a typed config, a local replica and a mesh client. */
  static final class Tickets {
    private final ServiceConfig<TicketsConfig> config;
    private final ReferenceDataReplica referenceData;
    private final ServiceContext context;

    Tickets(ServiceContext context) {
      this.config = context.config(TicketsConfig.class);
      this.referenceData = context.referenceData();
      this.context = context;
    }

    HttpRoutes routes() {
      return HttpRoutes.builder()
          .get("/instruments/{isin}", this::instrument)
          .post("/tickets", this::ticket)
          .build();
    }

    private HttpResponse instrument(HttpRequest request) {
      Instrument found = find(referenceData.view(), request.pathParam("isin"));
      return HttpResponse.json(200, INSTRUMENTS.toJson(found).toString());
    }

    private HttpResponse ticket(HttpRequest request) throws Exception {
      JsonNode ticket = JSON.readTree(request.body());
      ConfigRevision<TicketsConfig> settings = config.current(); // one revision, whole
      TicketsConfig limits = settings.value();
      ReferenceView view = referenceData.view(); // one version, whole
      Instrument instrument = find(view, ticket.path("isin").asText());
      long quantity = ticket.path("quantity").asLong();
      BigDecimal price = ticket.path("price").decimalValue();
      if (limits.halted()) {
        throw new HttpError(503, "trading is halted");
      }
      if (!limits.venues().contains(instrument.listingVenue().code())) {
        throw new HttpError(422, "venue " + instrument.listingVenue() + " is not enabled");
      }
      if (quantity > limits.maxQuantity() || !instrument.isWholeLots(quantity)) {
        throw new HttpError(422, "quantity " + quantity + " is not allowed");
      }
      if (price.signum() <= 0 || !instrument.isOnTick(price)) {
        throw new HttpError(
            422, "price " + price + " is not on a tick of " + instrument.tickSize());
      }
      HttpResponse risk = context.mesh().postJson("risk", "/checks", request.bodyText());
      if (risk.status() != 200) {
        throw new HttpError(422, "refused by risk: " + new String(risk.body(), UTF_8));
      }
      return HttpResponse.json(
          200,
          JSON.createObjectNode()
              .put("status", "ACCEPTED")
              .put("venue", instrument.listingVenue().code())
              .put("referenceDataVersion", view.version())
              .put("configRevision", settings.revision())
              .toString());
    }

    private static Instrument find(ReferenceView view, String isin) {
      return view.of(INSTRUMENTS)
          .get(isin)
          .orElseThrow(() -> new HttpError(404, "no instrument " + isin));
    }
  }
}
