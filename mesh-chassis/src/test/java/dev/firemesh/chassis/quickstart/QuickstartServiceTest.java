package dev.firemesh.chassis.quickstart;

import static dev.firemesh.chassis.refdata.domain.ReferenceSets.INSTRUMENTS;
import static dev.firemesh.chassis.refdata.domain.ReferenceSets.VENUES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.ReferenceSeed;
import dev.firemesh.chassis.refdata.owner.Command;
import dev.firemesh.chassis.refdata.owner.Edit;
import dev.firemesh.chassis.telemetry.LogFormat;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The getting-started service of docs/chassis.md, started standalone as the doc says, beside an
 * owner of reference data (on the embedded PostgreSQL) and a {@code risk} service, both chassis
 * services of their own on loopback.
 */
class QuickstartServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, String> RISK_SAW = new ConcurrentHashMap<>();

  @TempDir static Path dataDir;
  private static Chassis referenceData;
  private static Chassis risk;
  private static Chassis tickets;

  @BeforeAll
  static void start() {
    referenceData =
        Chassis.builder()
            .service("reference-data")
            .standalone()
            .dataDirectory(dataDir)
            .ownReferenceData(VENUES, INSTRUMENTS)
            .logFormat(LogFormat.AS_CONFIGURED)
            .stopOnSigterm(false)
            .drainDelay(Duration.ZERO)
            .start();
    List<Edit> seed = new ArrayList<>();
    ReferenceSeed.venues().forEach(venue -> seed.add(Edit.upsert(VENUES, venue)));
    ReferenceSeed.instruments()
        .forEach(instrument -> seed.add(Edit.upsert(INSTRUMENTS, instrument)));
    referenceData.context().referenceDataOwner().apply(new Command("seed", "test", "", seed));

    risk =
        Chassis.builder()
            .service("risk")
            .standalone()
            .logFormat(LogFormat.AS_CONFIGURED)
            .stopOnSigterm(false)
            .drainDelay(Duration.ZERO)
            .routes(
                HttpRoutes.builder()
                    .post(
                        "/checks",
                        request -> {
                          RISK_SAW.put("traceparent", request.header("traceparent").orElse(""));
                          long quantity = JSON.readTree(request.body()).path("quantity").asLong();
                          return quantity <= 5_000
                              ? HttpResponse.json(200, "{\"approved\":true}")
                              : HttpResponse.error(422, "over the account's position limit");
                        })
                    .build())
            .start();

    tickets =
        QuickstartService.tickets()
            .standalone()
            .referenceDataAt(uri(referenceData, ""))
            .serviceAt("risk", uri(risk, ""))
            .logFormat(LogFormat.AS_CONFIGURED)
            .stopOnSigterm(false)
            .drainDelay(Duration.ZERO)
            .start();
  }

  @AfterAll
  static void stop() {
    for (Chassis chassis : new Chassis[] {tickets, risk, referenceData}) {
      if (chassis != null) {
        chassis.close();
      }
    }
  }

  @Test
  void readsInstrumentsFromItsLocalReplica() throws Exception {
    Instrument bp = listedOn("XLON");
    var found = get(tickets, "/instruments/" + bp.isin().value());
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(found.body()).path("isin").asText()).isEqualTo(bp.isin().value());
    assertThat(get(tickets, "/instruments/GB0000000000").statusCode()).isEqualTo(404);
  }

  @Test
  void acceptsATicketWithinItsConfigAndRiskAndCarriesTheTraceToRisk() throws Exception {
    Instrument instrument = listedOn("XLON");
    String trace = "0af7651916cd43dd8448eb211c80319c";
    var accepted =
        HTTP.send(
            HttpRequest.newBuilder(uri(tickets, "/tickets"))
                .header("traceparent", "00-" + trace + "-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofString(ticket(instrument, 10)))
                .build(),
            BodyHandlers.ofString());

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(accepted.body());
    assertThat(body.path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(body.path("venue").asText()).isEqualTo("XLON");
    assertThat(body.path("configRevision").asLong()).as("standalone: the defaults").isZero();
    assertThat(RISK_SAW.get("traceparent")).startsWith("00-" + trace + "-");
  }

  @Test
  void refusesWhatItsConfigOrRiskRefuses() throws Exception {
    var otherVenue = post(tickets, "/tickets", ticket(listedOn("XNYS"), 10));
    assertThat(otherVenue.statusCode()).isEqualTo(422);
    assertThat(otherVenue.body()).contains("venue XNYS is not enabled");

    Instrument instrument = listedOn("XLON");
    long overRisk = 6_000 / instrument.lotSize() * instrument.lotSize() + instrument.lotSize();
    var refusedByRisk = post(tickets, "/tickets", ticket(instrument, overRisk));
    assertThat(refusedByRisk.statusCode()).isEqualTo(422);
    assertThat(refusedByRisk.body()).contains("refused by risk");
  }

  @Test
  void followsAChangeCommandedAtTheOwner() throws Exception {
    Instrument delisted = ReferenceSeed.instruments().getLast();
    String isin = delisted.isin().value();
    assertThat(get(tickets, "/instruments/" + isin).statusCode()).isEqualTo(200);

    var refused =
        post(
            referenceData,
            "/firemesh/refdata/v1/commands",
            "{\"edits\":[{\"op\":\"upsert\",\"set\":\"instruments\",\"record\":"
                + INSTRUMENTS.toJson(delisted).toString().replace(isin, "GB0007980592")
                + "}]}");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(refused.body()).path("field").asText()).isEqualTo("isin");

    var applied =
        post(
            referenceData,
            "/firemesh/refdata/v1/commands",
            "{\"id\":\"delist-"
                + isin
                + "\",\"edits\":[{\"op\":\"delete\",\"set\":\"instruments\","
                + "\"key\":\""
                + isin
                + "\"}]}");
    assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
    long version = JSON.readTree(applied.body()).path("version").asLong();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(tickets, "/instruments/" + isin).statusCode() == 404);
    assertThat(tickets.context().referenceData().version()).isEqualTo(version);
  }

  @Test
  void reportsHealthAndMetricsWithoutCodeOfItsOwn() throws Exception {
    var ready = get(tickets, "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(
            JSON.readTree(ready.body())
                .path("components")
                .path("reference-data")
                .path("state")
                .asText())
        .isEqualTo("UP");
    get(tickets, "/instruments/" + listedOn("XLON").isin().value());

    String metrics = get(tickets, "/metrics").body();
    assertThat(metrics)
        .contains("firemesh_requests_total{destination=\"tickets\",direction=\"inbound\"")
        .contains("route=\"/instruments/{isin}\"")
        .contains("firemesh_request_duration_seconds_bucket")
        .contains("firemesh_chassis_refdata_version{owner=\"reference-data\"}")
        .contains("firemesh_chassis_refdata_owner_head{owner=\"reference-data\"}")
        .contains("firemesh_chassis_refdata_lag_seconds{owner=\"reference-data\"}")
        .contains("firemesh_chassis_refdata_connected{owner=\"reference-data\"} 1.0")
        .contains("firemesh_chassis_refdata_versions_applied_total{owner=\"reference-data\"}")
        .contains("firemesh_chassis_refdata_reloads_total{owner=\"reference-data\"} 0.0")
        .contains("jvm_memory_used_bytes");
    String ownerMetrics = get(referenceData, "/metrics").body();
    assertThat(ownerMetrics)
        .contains("firemesh_chassis_refdata_owned_version ")
        .contains("firemesh_chassis_refdata_commands_total{outcome=\"applied\"}")
        .contains("firemesh_chassis_refdata_commands_total{outcome=\"repeated\"}")
        .contains("firemesh_chassis_refdata_commands_total{outcome=\"refused\"}");
  }

  @Test
  void theGettingStartedOfTheDocsIsThisServiceWhole() throws Exception {
    // Maven runs tests in the module's directory; the doc quotes the service's file verbatim.
    String doc = java.nio.file.Files.readString(Path.of("..", "docs", "chassis.md"));
    String source =
        java.nio.file.Files.readString(
            Path.of("src/test/java/dev/firemesh/chassis/quickstart/QuickstartService.java"));
    assertThat(doc).contains("```java\n" + source + "```");
  }

  private static Instrument listedOn(String mic) {
    return ReferenceSeed.instruments().stream()
        .filter(instrument -> instrument.listingVenue().code().equals(mic))
        .findFirst()
        .orElseThrow();
  }

  private static String ticket(Instrument instrument, long quantity) {
    BigDecimal price = instrument.tickSize().multiply(BigDecimal.valueOf(1_000));
    return JSON.createObjectNode()
        .put("isin", instrument.isin().value())
        .put("quantity", quantity)
        .put("price", price)
        .toString();
  }

  private static URI uri(Chassis chassis, String path) {
    return URI.create("http://127.0.0.1:" + chassis.address().getPort() + path);
  }

  private static java.net.http.HttpResponse<String> get(Chassis chassis, String path)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(chassis, path)).GET().build(), BodyHandlers.ofString());
  }

  private static java.net.http.HttpResponse<String> post(Chassis chassis, String path, String json)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(chassis, path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        BodyHandlers.ofString());
  }
}
