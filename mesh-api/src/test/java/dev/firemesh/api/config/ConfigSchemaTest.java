package dev.firemesh.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.Problem;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
  private final ConfigSchema schema = Schemas.orders();

  @Test
  void theJsonFormReadsBackToTheSameSchema() {
    String json = schema.toJson();

    assertThat(ConfigSchema.fromJson(json)).isEqualTo(schema);
    assertThat(ConfigSchema.fromJson(json).toJson()).isEqualTo(json);
  }

  @Test
  void aDecimalDefaultKeepsItsScaleThroughJson() {
    ConfigSchema s =
        new ConfigSchema(
            "risk",
            Schemas.object(
                Map.of(
                    "limit",
                    Schemas.withDefault(SchemaType.DECIMAL, new BigDecimal("5000000.00")))));

    Object back =
        ConfigSchema.fromJson(s.toJson()).root().fields().get("limit").defaultValue().get();

    assertThat(back).isEqualTo(new BigDecimal("5000000.00"));
  }

  @Test
  void strictParsingNamesThePathOfEveryProblem() {
    String json =
        """
        {"service": "orders", "root": {"type": "object", "fields": {
          "limits": {"type": "object", "fields": {
            "maxQuantity": {"type": "integer", "min": "one", "pattern": "x"},
            "ratio": {"type": "decimel"},
            "venues": {"type": "list"},
            "mode": {"type": "enum", "values": []},
            "name": {"type": "string", "pattern": "(", "colour": 1},
            "level": {"type": "integer", "max": 3, "default": 5}
          }}}}}
        """;

    assertThatThrownBy(() -> ConfigSchema.fromJson(json))
        .isInstanceOf(InvalidSchemaException.class)
        .satisfies(
            e ->
                assertThat(((InvalidSchemaException) e).problems())
                    .extracting(Problem::field)
                    .contains(
                        "root.fields.limits.fields.maxQuantity.min",
                        "root.fields.limits.fields.maxQuantity.pattern",
                        "root.fields.limits.fields.ratio.type",
                        "root.fields.limits.fields.venues.element",
                        "root.fields.limits.fields.mode.values",
                        "root.fields.limits.fields.name.pattern",
                        "root.fields.limits.fields.name.colour",
                        "root.fields.limits.fields.level.default"));
  }

  @Test
  void malformedJsonAndAWrongRootAreRefused() {
    assertThatThrownBy(() -> ConfigSchema.fromJson("{")).isInstanceOf(InvalidSchemaException.class);
    assertThatThrownBy(
            () -> ConfigSchema.fromJson("{\"service\":\"orders\",\"root\":{\"type\":\"string\"}}"))
        .hasMessageContaining("root.type");
    assertThatThrownBy(() -> ConfigSchema.fromJson("{\"service\":\"Orders!\",\"root\":{}}"))
        .hasMessageContaining("service");
  }

  @Test
  void goodValuesPass() {
    Map<String, Object> values =
        Map.of(
            "limits",
            Map.of(
                "maxQuantity", 100L, "maxNotional", new BigDecimal("5000000.00"), "timeout", "2s"),
            "venues",
            List.of("XLON", "XPAR"),
            "mode",
            "LIVE",
            "apiKey",
            "env:ORDERS_API_KEY",
            "killSwitch",
            true);

    assertThat(schema.check(values)).isEmpty();
    assertThat(schema.check(Map.of("apiKey", "file:/run/secrets/orders-key"))).isEmpty();
  }

  @Test
  void eachKindOfMistakeIsNamedWithItsPath() {
    Map<String, Object> values =
        Map.of(
            "limits",
            Map.of("maxQuantity", 2_000_000L, "maxNotional", "lots", "timeot", "1s"),
            "venues",
            List.of("XLON", "london"),
            "mode",
            "LVE",
            "apiKey",
            "hunter2",
            "killSwitch",
            "no");

    List<Problem> problems = schema.check(values);

    assertThat(problems)
        .extracting(Problem::field, Problem::message)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "spec.values.limits.maxQuantity",
                "2000000 is out of range: expected from 1 to 1000000"),
            org.assertj.core.groups.Tuple.tuple(
                "spec.values.limits.maxNotional", "expected a number, got \"lots\" (a string)"),
            org.assertj.core.groups.Tuple.tuple(
                "spec.values.killSwitch", "expected true or false, got \"no\" (a string)"));
    assertThat(problems)
        .extracting(Problem::field)
        .contains(
            "spec.values.limits.timeot",
            "spec.values.venues[1]",
            "spec.values.mode",
            "spec.values.apiKey");
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).doesNotContain("hunter2"));
    assertThat(problems.stream().filter(p -> p.field().endsWith("timeot")).findFirst().get())
        .extracting(Problem::message)
        .asString()
        .contains("did you mean \"timeout\"");
  }

  @Test
  void sizesAndDurationsAreChecked() {
    assertThat(schema.check(Map.of("venues", List.of())))
        .extracting(Problem::message)
        .containsExactly("has 0 elements, at least 1 needed");
    assertThat(schema.check(Map.of("limits", Map.of("timeout", "soon"))))
        .extracting(Problem::field)
        .containsExactly("spec.values.limits.timeout");
  }

  @Test
  void requiredValuesAreAskedOfTheMergedDocumentOnly() {
    assertThat(schema.check(Map.of("mode", "LIVE"))).isEmpty();
    assertThat(schema.missing(Map.of("mode", "LIVE"))).containsExactly("limits.maxNotional");
    assertThat(schema.missing(Map.of("limits", Map.of("maxNotional", 5L)))).isEmpty();
  }

  @Test
  void defaultsFormTheLowestLayer() {
    assertThat(schema.defaults())
        .isEqualTo(Map.of("limits", Map.of("timeout", "250ms"), "killSwitch", false));
  }

  @Test
  void problemsPointAtTheLineAndColumnOfTheYaml() {
    String yaml =
        """
        apiVersion: firemesh.dev/v1
        kind: Config
        metadata: {name: orders-prod}
        spec:
          service: orders
          environment: prod
          values:
            limits:
              maxQuantity: 2000000
            apiKey: plain-text
        """;
    ParsedResource parsed = ResourceCodec.parse("orders-prod.yaml", yaml).getFirst();
    Config config = (Config) parsed.resource();

    List<Problem> problems = schema.check(config.spec().values(), parsed::positionOf);

    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactlyInAnyOrder(
            "orders-prod.yaml:9:20: spec.values.limits.maxQuantity: 2000000 is out of range:"
                + " expected from 1 to 1000000",
            "orders-prod.yaml:10:13: spec.values.apiKey: a secret is written as a reference,"
                + " env:NAME or file:/absolute/path, resolved inside the service; a plain value"
                + " is refused so that no secret is stored in a Config");
  }
}
