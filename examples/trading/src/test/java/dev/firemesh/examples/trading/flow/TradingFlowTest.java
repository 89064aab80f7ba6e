package dev.firemesh.examples.trading.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.cqrs.CommandOutcome;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.refdata.domain.AccountStatus;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.InstrumentStatus;
import dev.firemesh.chassis.refdata.domain.ReferenceSeed;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.refdata.domain.TradeAccount;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.chassis.telemetry.LogFormat;
import dev.firemesh.examples.trading.orders.domain.OrderAggregate;
import dev.firemesh.examples.trading.referencedata.domain.SeedCommand;
import dev.firemesh.examples.trading.risk.domain.DailyLimits;
import dev.firemesh.examples.trading.risk.domain.Exposure;
import dev.firemesh.examples.trading.risk.domain.ExposureAggregate;
import dev.firemesh.examples.trading.risk.domain.ExposureChange;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.DailyLimitsReset;
import dev.firemesh.examples.trading.risk.domain.OrderEventView;
import dev.firemesh.examples.trading.risk.domain.TrackOrderEvent;
import dev.firemesh.examples.trading.risk.exposure.EndOfDay;
import dev.firemesh.examples.trading.risk.exposure.ExposureProjection;
import dev.firemesh.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's order flow on a real PostgreSQL: reference-data, risk and orders as they run ({@code
 * Main.builder}), standalone, each with a database of its own on one embedded server. Orders are
 * placed over HTTP, filled by the venue, forwarded to risk, and risk's read model is checked
 * against the {@link Exposure} fold of orders' own events.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TradingFlowTest {
  private static final ObjectMapper JSON = EventTypes.newMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Set<String> MAJOR = Set.of("EUR", "GBP", "USD");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static Database server;
  private static Chassis referenceData;
  private static Chassis risk;
  private static Chassis orders;

  @BeforeAll
  static void start() {
    server = ChassisStore.embedded(dir.resolve("postgres"));
    referenceData =
        quiet(Chassis.builder().service("reference-data"), "reference_data")
            .ownReferenceData(
                ReferenceSets.VENUES, ReferenceSets.INSTRUMENTS, ReferenceSets.ACCOUNTS)
            .start();
    referenceData.context().referenceDataOwner().apply(SeedCommand.of());
    risk =
        quiet(dev.firemesh.examples.trading.risk.http.Main.builder(), "risk")
            .referenceDataAt(uri(referenceData))
            .start();
    orders =
        quiet(dev.firemesh.examples.trading.orders.http.Main.builder("v1"), "orders")
            .referenceDataAt(uri(referenceData))
            .serviceAt("risk", uri(risk))
            .start();
  }

  private static Chassis.Builder quiet(Chassis.Builder builder, String database) {
    return builder
        .standalone()
        .store(server.ensureDatabase(database))
        .dataDirectory(dir.resolve(database))
        .logFormat(LogFormat.AS_CONFIGURED)
        .stopOnSigterm(false)
        .drainDelay(Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {orders, risk, referenceData, server}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  @Test
  @Order(1)
  void placedOrdersAreFilledAndRiskExposureIsTheirFold() throws Exception {
    List<Instrument> instruments =
        ReferenceSeed.instruments().stream()
            .filter(i -> i.status() == InstrumentStatus.ACTIVE)
            .filter(i -> MAJOR.contains(i.currency().code()))
            .limit(4)
            .toList();
    List<String> accounts =
        ReferenceSeed.accounts().stream()
            .filter(a -> a.status() == AccountStatus.OPEN)
            .map(TradeAccount::accountId)
            .limit(3)
            .toList();
    assertThat(instruments).hasSize(4);
    assertThat(accounts).hasSize(3);

    List<String> orderIds = new ArrayList<>();
    for (int n = 0; n < 12; n++) {
      Instrument instrument = instruments.get(n % instruments.size());
      JsonNode answer =
          place(
              "T-" + n,
              accounts.get(n % accounts.size()),
              instrument,
              n % 2 == 0 ? "BUY" : "SELL",
              instrument.lotSize() * (3 + n % 5));
      assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("ACCEPTED");
      assertThat(answer.path("handledBy").asText()).isNotBlank();
      orderIds.add(answer.path("orderId").asText());
    }

    // A retried POST (same client order id) is answered with the order the first one booked.
    Instrument first = instruments.get(0);
    JsonNode again = place("T-0", accounts.get(0), first, "BUY", first.lotSize() * 3);
    assertThat(again.path("orderId").asText()).isEqualTo(orderIds.get(0));
    assertThat(again.path("status").asText()).isEqualTo("ACCEPTED");

    // The venue fills every order, or fills part and cancels the rest.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (String id : orderIds) {
                assertThat(get(orders, "/orders/" + id).path("status").asText())
                    .as(id)
                    .isIn("FILLED", "CANCELLED");
              }
            });
    String filledId =
        orderIds.stream()
            .filter(id -> get(orders, "/orders/" + id).path("status").asText().equals("FILLED"))
            .findFirst()
            .orElseThrow();
    JsonNode history = get(orders, "/orders/" + filledId + "/events");
    List<String> types = new ArrayList<>();
    history.forEach(e -> types.add(e.path("type").asText()));
    assertThat(types).startsWith("OrderPlaced", "OrderAccepted").endsWith("OrderFilled");
    JsonNode placed = history.get(0);
    assertThat(placed.path("metadata").path("commandId").asText())
        .isEqualTo("place-" + placed.path("payload").path("clientOrderId").asText());
    assertThat(placed.path("metadata").path("actor").asText()).isEqualTo("trading-flow-test");
    JsonNode fill = history.get(history.size() - 1);
    assertThat(fill.path("metadata").path("actor").asText()).isEqualTo("venue-simulator");
    assertThat(fill.path("metadata").path("commandId").asText())
        .isEqualTo(fill.path("payload").path("fillId").asText());

    // Every order's last event in the global order (nothing left open), forwarded and projected:
    // the read model is the fold.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(expectedExposure().values())
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.openNotional().signum()).isZero()));
    awaitQuiet();
    Map<String, Exposure> expected = expectedExposure();
    assertThat(readModel()).isEqualTo(expected);

    // A forward delivered again (same command id, the event's) changes nothing.
    RecordedEvent filled =
        orders.context().events().readStream(OrderAggregate.CATEGORY + "-" + filledId, 1).stream()
            .filter(e -> e.type().equals("OrderFilled"))
            .findFirst()
            .orElseThrow();
    OrderEventView view =
        OrderEventView.read(filled.type(), JSON.valueToTree(filled.payload())).orElseThrow();
    String commandId = filled.metadata().eventId().toString();
    String stream = ExposureAggregate.CATEGORY + "-" + view.account();
    long versionBefore = risk.context().events().streamVersion(stream);
    CommandOutcome resent =
        orders
            .context()
            .commands()
            .send(
                "risk",
                ExposureAggregate.CATEGORY,
                view.account(),
                commandId,
                filled.metadata().correlationId(),
                new TrackOrderEvent(filled.type(), view));
    assertThat(resent)
        .isEqualTo(risk.context().commandProcessor().outcome(commandId).orElseThrow());
    assertThat(risk.context().events().streamVersion(stream)).isEqualTo(versionBefore);
    awaitProjectionAtHead();
    assertThat(readModel()).isEqualTo(expected);
  }

  @Test
  @Order(2)
  void endOfDayResetsOnceAndARebuildGivesTheSameReadModel() {
    awaitQuiet();
    assertThat(risk.context().scheduler().status())
        .anySatisfy(t -> assertThat(t.task()).isEqualTo(EndOfDay.TASK));
    Map<String, Exposure> before = readModel();
    assertThat(before.values()).anySatisfy(e -> assertThat(e.filledToday().signum()).isOne());

    // The task's fenced work, run twice for one date (a firing run again): one reset.
    EndOfDay endOfDay = new EndOfDay(risk.context().events());
    LocalDate date = LocalDate.of(2026, 11, 27);
    Database store = risk.context().store();
    Boolean first = store.transaction("first end of day", c -> endOfDay.end(c, date));
    Boolean second = store.transaction("second end of day", c -> endOfDay.end(c, date));
    assertThat(first).isTrue();
    assertThat(second).as("the date had ended").isFalse();
    List<RecordedEvent> day =
        risk.context().events().readStream(DailyLimitsReset.streamId(date), 1);
    assertThat(day).hasSize(1);
    assertThat(day.get(0).payload()).isEqualTo(new DailyLimitsReset(date));

    Map<String, Exposure> reset = new TreeMap<>();
    before.forEach((key, e) -> reset.put(key, normal(DailyLimits.reset(e))));
    await().atMost(WAIT).untilAsserted(() -> assertThat(readModel()).isEqualTo(reset));

    risk.context().subscriptions().rebuild(ExposureProjection.NAME);
    awaitProjectionAtHead();
    assertThat(readModel()).isEqualTo(reset);
  }

  /** The fold of {@link Exposure#change} over every order event in orders' store. */
  private static Map<String, Exposure> expectedExposure() {
    Map<String, Exposure> fold = new TreeMap<>();
    List<RecordedEvent> all = orders.context().events().readAll(0, 100_000);
    for (RecordedEvent event : all) {
      OrderEventView.read(event.type(), JSON.valueToTree(event.payload()))
          .ifPresent(
              view -> {
                ExposureChange change = Exposure.change(view);
                fold.compute(
                    key(change.account(), change.currency()),
                    (k, e) ->
                        (e == null ? Exposure.none(change.account(), change.currency()) : e)
                            .apply(change));
              });
    }
    fold.replaceAll((k, e) -> normal(e));
    // Accounts whose orders were all rejected have no row in the read model.
    fold.values()
        .removeIf(
            e ->
                e.openNotional().signum() == 0
                    && e.filledToday().signum() == 0
                    && e.usedToday().signum() == 0);
    return fold;
  }

  private static Map<String, Exposure> readModel() {
    Map<String, Exposure> rows = new TreeMap<>();
    get(risk, "/exposure")
        .forEach(
            row -> {
              Exposure e =
                  new Exposure(
                      row.path("account").asText(),
                      Currency.getInstance(row.path("currency").asText()),
                      row.path("openNotional").decimalValue(),
                      row.path("filledToday").decimalValue(),
                      row.path("usedToday").decimalValue());
              rows.put(key(e.account(), e.currency()), normal(e));
            });
    return rows;
  }

  /** Until orders' subscriptions and risk's projection have dealt with every event so far. */
  private static void awaitQuiet() {
    await()
        .atMost(WAIT)
        .until(
            () ->
                orders.context().subscriptions().status().stream()
                    .allMatch(s -> s.position() >= orders.context().events().head()));
    awaitProjectionAtHead();
  }

  private static void awaitProjectionAtHead() {
    await()
        .atMost(WAIT)
        .until(
            () ->
                risk.context().subscriptions().status().stream()
                    .filter(s -> s.name().equals(ExposureProjection.NAME))
                    .allMatch(s -> s.position() >= risk.context().events().head()));
  }

  /** Amounts compared by value: 1.50 and 1.5 are the same exposure. */
  private static Exposure normal(Exposure e) {
    return new Exposure(
        e.account(),
        e.currency(),
        normal(e.openNotional()),
        normal(e.filledToday()),
        normal(e.usedToday()));
  }

  private static BigDecimal normal(BigDecimal amount) {
    return amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
  }

  private static String key(String account, Currency currency) {
    return account + "/" + currency.getCurrencyCode();
  }

  private static JsonNode place(
      String clientOrderId, String account, Instrument instrument, String side, long quantity)
      throws Exception {
    ObjectNode order =
        JSON.createObjectNode()
            .put("clientOrderId", clientOrderId)
            .put("account", account)
            .put("isin", instrument.isin().value())
            .put("side", side)
            .put("quantity", quantity)
            .put(
                "limitPrice",
                instrument.tickSize().multiply(BigDecimal.valueOf(1_000)).toPlainString())
            .put("placedBy", "trading-flow-test");
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri(orders).resolve("/orders"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(order.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static JsonNode get(Chassis chassis, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri(chassis).resolve(path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static URI uri(Chassis chassis) {
    return URI.create("http://127.0.0.1:" + chassis.address().getPort());
  }
}
