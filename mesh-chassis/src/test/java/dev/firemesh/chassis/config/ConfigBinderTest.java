package dev.firemesh.chassis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.config.ConfigSchema;
import dev.firemesh.api.config.SchemaNode;
import dev.firemesh.api.config.SchemaType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
  private final ConfigBinder<OrdersConfig> binder =
      ConfigBinder.of(OrdersConfig.class, OrdersConfig.DEFAULTS);

  // --- derivation -------------------------------------------------------------------------

  @Test
  void derivesEachFieldsTypeDefaultAndConstraints() {
    SchemaNode root = binder.schema("orders").root();
    Map<String, SchemaNode> fields = root.fields();

    assertThat(root.type()).isEqualTo(SchemaType.OBJECT);
    assertThat(root.required()).as("apiKey has no default").isTrue();

    SchemaNode quantity = fields.get("maxOrderQuantity");
    assertThat(quantity.type()).isEqualTo(SchemaType.INTEGER);
    assertThat(quantity.required()).isFalse();
    assertThat(quantity.defaultValue()).contains(1_000L);
    assertThat(quantity.min()).contains(BigDecimal.ONE);
    assertThat(quantity.max()).contains(BigDecimal.valueOf(1_000_000));

    SchemaNode notional = fields.get("maxOrderNotional");
    assertThat(notional.type()).isEqualTo(SchemaType.DECIMAL);
    assertThat(notional.defaultValue()).contains(new BigDecimal("5000000.00"));

    SchemaNode venues = fields.get("allowedVenues");
    assertThat(venues.type()).isEqualTo(SchemaType.LIST);
    assertThat(venues.minSize()).contains(1);
    assertThat(venues.defaultValue()).contains(List.of("XLON", "XPAR"));
    assertThat(venues.element().orElseThrow().type()).isEqualTo(SchemaType.STRING);
    assertThat(venues.element().orElseThrow().pattern()).contains("[A-Z0-9]{4}");

    SchemaNode killSwitch = fields.get("killSwitch");
    assertThat(killSwitch.type()).isEqualTo(SchemaType.OBJECT);
    assertThat(killSwitch.required()).isFalse();
    assertThat(killSwitch.fields().get("enabled").defaultValue()).contains(false);
    assertThat(killSwitch.fields().get("reason").maxSize()).contains(40);

    SchemaNode timeout = fields.get("quoteTimeout");
    assertThat(timeout.type()).isEqualTo(SchemaType.DURATION);
    assertThat(timeout.defaultValue()).contains("250ms");
    assertThat(timeout.min()).contains(BigDecimal.TEN);
    assertThat(timeout.max()).contains(BigDecimal.valueOf(5_000));

    SchemaNode apiKey = fields.get("apiKey");
    assertThat(apiKey.type()).isEqualTo(SchemaType.SECRET);
    assertThat(apiKey.required()).isTrue();
    assertThat(apiKey.defaultValue()).isEmpty();

    SchemaNode mode = fields.get("mode");
    assertThat(mode.type()).isEqualTo(SchemaType.ENUM);
    assertThat(mode.values()).containsExactly("NORMAL", "CLOSE_ONLY", "HALTED");
    assertThat(mode.defaultValue()).contains("NORMAL");

    SchemaNode retries = fields.get("retries");
    assertThat(retries.min()).contains(BigDecimal.ZERO);
    assertThat(retries.max())
        .as("an int's own bound")
        .contains(BigDecimal.valueOf(Integer.MAX_VALUE));
  }

  @Test
  void aSecretsDefaultReferenceIsNotPublished() {
    record WithKey(Secret key) {}
    SchemaNode key =
        ConfigBinder.of(WithKey.class, new WithKey(Secret.of("env:KEY")))
            .root()
            .fields()
            .get("key");

    assertThat(key.required()).isFalse();
    assertThat(key.defaultValue()).isEmpty();
  }

  @Test
  void withoutDefaultsEveryFieldIsRequired() {
    SchemaNode root = ConfigBinder.withoutDefaults(OrdersConfig.class).root();

    assertThat(root.fields().values()).allMatch(SchemaNode::required);
    assertThat(root.fields().get("killSwitch").fields().get("enabled").required()).isTrue();
  }

  @Test
  void writesTheSchemasJsonForm() {
    record Limits(
        @Range(min = 1, max = 10) int depth,
        BigDecimal notional,
        List<String> tags,
        @DurationRange(max = "1m") Duration pause,
        Secret token) {}
    ConfigBinder<Limits> limits =
        ConfigBinder.of(
            Limits.class,
            new Limits(2, new BigDecimal("5000000.00"), List.of("a"), Duration.ofSeconds(5), null));

    ConfigSchema schema = limits.schema("orders");
    String json = schema.toJson();
    // What the control plane's strict reader takes back, whole: the schema published at start.
    assertThat(ConfigSchema.fromJson(json)).isEqualTo(schema);
    assertThat(json)
        .contains("\"depth\":{\"type\":\"integer\"")
        .contains("\"min\":1")
        .contains("5000000.00")
        .contains("\"type\":\"secret\"");
  }

  @Test
  void refusesATypeItCannotBind() {
    record Bad(Map<String, String> labels) {}

    assertThatThrownBy(() -> ConfigBinder.withoutDefaults(Bad.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels")
        .hasMessageContaining("not supported");
  }

  @Test
  void refusesAConstraintOnATypeItDoesNotApplyTo() {
    record Bad(@Range(min = 1) String name) {}

    assertThatThrownBy(() -> ConfigBinder.withoutDefaults(Bad.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name: @Range does not apply");
  }

  @Test
  void refusesADefaultThatBreaksItsOwnConstraint() {
    record Bad(@Range(min = 1) long quantity) {}

    assertThatThrownBy(() -> ConfigBinder.of(Bad.class, new Bad(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quantity: 0 is below the minimum 1");
  }

  // --- binding ----------------------------------------------------------------------------

  @Test
  void bindsValuesOverTheDefaults() throws Exception {
    OrdersConfig bound =
        binder.bind(
            Map.of(
                "maxOrderQuantity",
                5_000L,
                "maxOrderNotional",
                new BigDecimal("250000.50"),
                "killSwitch",
                Map.of("enabled", true),
                "quoteTimeout",
                "2s",
                "apiKey",
                "env:ORDERS_API_KEY",
                "mode",
                "CLOSE_ONLY"));

    assertThat(bound.maxOrderQuantity()).isEqualTo(5_000L);
    assertThat(bound.maxOrderNotional()).isEqualByComparingTo("250000.50");
    assertThat(bound.maxOrderNotional().scale()).as("a decimal stays exact").isEqualTo(2);
    assertThat(bound.allowedVenues()).as("a default").containsExactly("XLON", "XPAR");
    assertThat(bound.killSwitch())
        .as("an object merges key by key")
        .isEqualTo(new OrdersConfig.KillSwitch(true, "none"));
    assertThat(bound.quoteTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(bound.apiKey().reference()).isEqualTo("env:ORDERS_API_KEY");
    assertThat(bound.mode()).isEqualTo(OrdersConfig.Mode.CLOSE_ONLY);
    assertThat(bound.retries()).isEqualTo(3);
  }

  @Test
  void aListReplacesTheDefaultWholeAndIsImmutable() throws Exception {
    OrdersConfig bound = binder.bind(Map.of("allowedVenues", List.of("XNYS"), "apiKey", "env:KEY"));

    assertThat(bound.allowedVenues()).containsExactly("XNYS");
    assertThatThrownBy(() -> bound.allowedVenues().add("XTKS"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertThatThrownBy(() -> binder.bind(Map.of("maxOrderQuantity", "lots", "apiKey", "env:KEY")))
        .isInstanceOf(ConfigBindingException.class)
        .hasMessage("maxOrderQuantity: expected a whole number, got a string (lots)");
  }

  @Test
  void refusesAFractionWhereAWholeNumberIsDue() {
    assertThatThrownBy(
            () ->
                binder.bind(
                    Map.of("maxOrderQuantity", new BigDecimal("10.5"), "apiKey", "env:KEY")))
        .hasMessage("maxOrderQuantity: expected a whole number, got a number (10.5)");
  }

  @Test
  void refusesValuesOutOfRange() {
    assertThatThrownBy(
            () ->
                binder.bind(
                    Map.of(
                        "maxOrderQuantity",
                        0L,
                        "quoteTimeout",
                        "10s",
                        "retries",
                        3_000_000_000L,
                        "apiKey",
                        "env:KEY")))
        .isInstanceOfSatisfying(
            ConfigBindingException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new ConfigProblem("maxOrderQuantity", "0 is below the minimum 1"),
                        new ConfigProblem("quoteTimeout", "10s is longer than the maximum 5s"),
                        new ConfigProblem(
                            "retries", "3000000000 is above the maximum 2147483647")));
  }

  @Test
  void namesThePathInsideListsAndObjects() {
    assertThatThrownBy(
            () ->
                binder.bind(
                    Map.of(
                        "allowedVenues", List.of("XLON", "london"),
                        "killSwitch", Map.of("enabled", "yes"),
                        "apiKey", "env:KEY")))
        .isInstanceOfSatisfying(
            ConfigBindingException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new ConfigProblem(
                            "allowedVenues[1]",
                            "\"london\" does not match the pattern [A-Z0-9]{4}"),
                        new ConfigProblem(
                            "killSwitch.enabled", "expected a boolean, got a string (yes)")));
  }

  @Test
  void refusesAnUnknownKey() {
    assertThatThrownBy(() -> binder.bind(Map.of("maxOrderQuantyty", 5L, "apiKey", "env:KEY")))
        .isInstanceOf(ConfigBindingException.class)
        .hasMessageStartingWith(
            "maxOrderQuantyty: unknown key; OrdersConfig has maxOrderQuantity,");
  }

  @Test
  void refusesAMissingRequiredValue() {
    assertThatThrownBy(() -> binder.bind(Map.of()))
        .isInstanceOf(ConfigBindingException.class)
        .hasMessage("apiKey: required: it has no default in code and no Config sets it");
  }

  @Test
  void refusesAnEnumConstantItDoesNotHave() {
    assertThatThrownBy(() -> binder.bind(Map.of("mode", "closed", "apiKey", "env:KEY")))
        .hasMessage("mode: expected one of NORMAL, CLOSE_ONLY, HALTED, got a string (closed)");
  }

  @Test
  void refusesAPlainTextSecretWithoutRepeatingIt() {
    assertThatThrownBy(() -> binder.bind(Map.of("apiKey", "hunter2")))
        .isInstanceOf(ConfigBindingException.class)
        .hasMessageContaining("apiKey: a secret is written as a reference")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aRecordsOwnCheckIsReportedAtItsPath() {
    record Window(long from, long to) {
      Window {
        if (to < from) {
          throw new IllegalArgumentException("to is before from");
        }
      }
    }
    record Hours(Window window) {}
    ConfigBinder<Hours> hours = ConfigBinder.withoutDefaults(Hours.class);

    assertThatThrownBy(() -> hours.bind(Map.of("window", Map.of("from", 5L, "to", 1L))))
        .hasMessage("window: Window refused the values: to is before from");
  }

  @Test
  void theDefaultsAloneBindWhenEveryFieldHasOne() throws Exception {
    record Simple(boolean dryRun, @Range(min = 1) long limit) {}

    assertThat(ConfigBinder.of(Simple.class, new Simple(true, 7)).defaults())
        .isEqualTo(new Simple(true, 7));
    assertThatThrownBy(binder::defaults).isInstanceOf(ConfigBindingException.class);
  }

  @Test
  void durationsAreWrittenAsAConfigWritesThem() {
    assertThat(ConfigDurations.parse("250ms")).contains(Duration.ofMillis(250));
    assertThat(ConfigDurations.parse("1m30s")).contains(Duration.ofSeconds(90));
    assertThat(ConfigDurations.parse("1.5s")).contains(Duration.ofMillis(1_500));
    assertThat(ConfigDurations.parse("5")).isEmpty();
    assertThat(ConfigDurations.parse("PT5S")).isEmpty();
    assertThat(ConfigDurations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(ConfigDurations.format(Duration.ofMillis(1_500))).isEqualTo("1500ms");
  }
}
