package dev.firemesh.chassis.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Upcasting: an old event read through the chain of upcasters is the event its writer meant, as if
 * written with the current record; and a registry with a hole in a chain never builds.
 */
class EventTypesPropertyTest {
  /** v1: {@code {"id", "qty"}}; v2: renamed and a side; v3: a time in force. */
  record OrderPlaced(
      String orderId,
      BigDecimal quantity,
      String side,
      String timeInForce,
      Optional<Instant> expiresAt) {}

  private static final ObjectMapper JSON = EventTypes.newMapper();

  private static final EventTypes TYPES =
      EventTypes.builder()
          .type("OrderPlaced", OrderPlaced.class, 3)
          .upcaster(
              "OrderPlaced",
              1,
              json -> {
                ObjectNode v2 = JSON.createObjectNode();
                v2.set("orderId", json.get("id"));
                v2.put("quantity", json.get("qty").decimalValue());
                v2.put("side", "BUY");
                return v2;
              })
          .upcaster("OrderPlaced", 2, json -> json.put("timeInForce", "DAY"))
          .build();

  @Property
  void aVersionOneEventReadsAsTheCurrentRecordWouldBeWritten(
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String id,
      @ForAll @LongRange(min = 0, max = 1_000_000_000) long qty)
      throws Exception {
    ObjectNode v1 = JSON.createObjectNode().put("id", id).put("qty", qty);

    Object read = TYPES.decode("OrderPlaced", 1, JSON.writeValueAsString(v1));

    OrderPlaced expected =
        new OrderPlaced(id, BigDecimal.valueOf(qty), "BUY", "DAY", Optional.empty());
    assertThat(read).isEqualTo(expected);
    assertThat(TYPES.encode(read)).isEqualTo(TYPES.encode(expected));
  }

  @Property
  void aVersionTwoEventRunsOnlyTheLaterUpcasters(
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String id,
      @ForAll("decimals") BigDecimal quantity,
      @ForAll("sides") String side)
      throws Exception {
    ObjectNode v2 =
        JSON.createObjectNode().put("orderId", id).put("quantity", quantity).put("side", side);

    Object read = TYPES.decode("OrderPlaced", 2, JSON.writeValueAsString(v2));

    assertThat(read).isEqualTo(new OrderPlaced(id, quantity, side, "DAY", Optional.empty()));
  }

  @Property
  void aCurrentEventReadsBackAsWritten(
      @ForAll @StringLength(max = 30) String id,
      @ForAll("decimals") BigDecimal quantity,
      @ForAll("sides") String side,
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long expires,
      @ForAll boolean hasExpiry) {
    OrderPlaced event =
        new OrderPlaced(
            id,
            quantity,
            side,
            "GTC",
            hasExpiry
                ? Optional.of(Instant.ofEpochSecond(expires, 123_456_000))
                : Optional.empty());

    EventTypes.Encoded encoded = TYPES.encode(event);

    assertThat(encoded.type()).isEqualTo("OrderPlaced");
    assertThat(encoded.schemaVersion()).isEqualTo(3);
    assertThat(TYPES.decode(encoded.type(), encoded.schemaVersion(), encoded.json()))
        .isEqualTo(event);
  }

  @Property
  void aChainWithAMissingStepNeverBuilds(
      @ForAll @IntRange(min = 2, max = 8) int current,
      @ForAll @IntRange(min = 1, max = 7) int hole) {
    int missing = Math.min(hole, current - 1);
    EventTypes.Builder builder = EventTypes.builder().type("Evolving", OrderPlaced.class, current);
    for (int from = 1; from < current; from++) {
      if (from != missing) {
        builder.upcaster("Evolving", from, json -> json);
      }
    }

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "event type Evolving is at schema version "
                + current
                + " but has no upcaster from v"
                + missing
                + " to v"
                + (missing + 1));
  }

  @Property
  void aVersionNewerThanKnownOrBelowOneIsRefusedNamingBoth(
      @ForAll @IntRange(min = -5, max = 50) int version) {
    if (version >= 1 && version <= 3) {
      return;
    }
    assertThatThrownBy(() -> TYPES.decode("OrderPlaced", version, "{}"))
        .isInstanceOfSatisfying(
            UnreadableEventException.class,
            e -> {
              assertThat(e.type()).isEqualTo("OrderPlaced");
              assertThat(e.schemaVersion()).isEqualTo(version);
            })
        .hasMessage(
            "event type OrderPlaced has no schema version "
                + version
                + "; this service knows versions 1 to 3");
  }

  @Example
  void anUnknownNameIsRefusedNamingWhatIsKnown() {
    assertThatThrownBy(() -> TYPES.decode("OrderVanished", 2, "{}"))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessage(
            "unknown event type OrderVanished (schema version 2); this service knows [OrderPlaced]");
    assertThatThrownBy(() -> TYPES.currentVersion("OrderVanished"))
        .hasMessageContaining("unknown event type OrderVanished");
    assertThatThrownBy(() -> TYPES.encode(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object is not a registered event type");
  }

  @Example
  void jsonThatDoesNotBindNamesTheTypeAndClass() {
    assertThatThrownBy(
            () ->
                TYPES.decode(
                    "OrderPlaced",
                    3,
                    "{\"orderId\":\"o\",\"quantity\":\"many\",\"side\":\"BUY\",\"timeInForce\":\"DAY\"}"))
        .isInstanceOf(UnreadableEventException.class)
        .hasMessageStartingWith(
            "event OrderPlaced v3 does not read as " + OrderPlaced.class.getName());
    assertThatThrownBy(() -> TYPES.decode("OrderPlaced", 1, "[1]"))
        .hasMessage("event OrderPlaced v1 is not a JSON object; cannot upcast it to v2");
  }

  @Example
  void misplacedUpcastersAndDuplicatesAreRefused() {
    assertThatThrownBy(
            () ->
                EventTypes.builder()
                    .type("A", OrderPlaced.class, 2)
                    .upcaster("A", 1, json -> json)
                    .upcaster("A", 2, json -> json)
                    .build())
        .hasMessage("upcaster of event type A from v2, but its versions are 1 to 2");
    assertThatThrownBy(() -> EventTypes.builder().upcaster("B", 1, json -> json).build())
        .hasMessage("upcaster for event type B, which is not registered");
    assertThatThrownBy(
            () -> EventTypes.builder().type("A", OrderPlaced.class).type("A2", OrderPlaced.class))
        .hasMessageContaining("registered as both A and A2");
    assertThatThrownBy(() -> EventTypes.builder().type("A", OrderPlaced.class, 0))
        .hasMessageContaining("versions start at 1");
    assertThatThrownBy(() -> EventTypes.builder().type("has space", OrderPlaced.class))
        .hasMessageContaining("must be letters");
  }

  @Provide
  Arbitrary<BigDecimal> decimals() {
    return Arbitraries.integers()
        .between(0, 6)
        .flatMap(
            scale ->
                Arbitraries.bigDecimals()
                    .between(BigDecimal.ZERO, new BigDecimal("1000000000"))
                    .ofScale(scale));
  }

  @Provide
  Arbitrary<String> sides() {
    return Arbitraries.of("BUY", "SELL");
  }
}
