package dev.firemesh.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Metadata;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {
  private static Config config(
      String name,
      String service,
      String env,
      String region,
      String instance,
      Map<String, Object> values) {
    return new Config(
        new Metadata(name, Map.of()), new Config.Spec(service, env, region, instance, values));
  }

  private final List<Config> layers =
      List.of(
          config(
              "orders-prod",
              "orders",
              "prod",
              "",
              "",
              Map.of(
                  "limits",
                      Map.of("maxQuantity", 100L, "maxNotional", new BigDecimal("5000000.00")),
                  "venues", List.of("XLON", "XPAR"),
                  "mode", "LIVE")),
          config(
              "orders-prod-eu",
              "orders",
              "prod",
              "eu",
              "",
              Map.of("limits", Map.of("maxQuantity", 200L), "venues", List.of("XETR"))),
          config("orders-prod-1", "orders", "prod", "", "orders-1", Map.of("mode", "PAPER")),
          config("orders-uat", "orders", "uat", "", "", Map.of("mode", "PAPER")),
          config("risk-prod", "risk", "prod", "", "", Map.of("mode", "OFF")));

  @Test
  void layersMergeMapsKeyByKeyAndReplaceListsAndScalars() {
    EffectiveConfig eff = EffectiveConfig.of(layers, "orders", "prod", "eu", "orders-1", 7);

    assertThat(eff.values())
        .isEqualTo(
            Map.of(
                "limits", Map.of("maxQuantity", 200L, "maxNotional", new BigDecimal("5000000.00")),
                "venues", List.of("XETR"),
                "mode", "PAPER"));
    assertThat(eff.sources())
        .isEqualTo(
            Map.of(
                "limits.maxQuantity", "Config/orders-prod-eu",
                "limits.maxNotional", "Config/orders-prod",
                "venues", "Config/orders-prod-eu",
                "mode", "Config/orders-prod-1"));
  }

  @Test
  void onlyMatchingLayersApply() {
    EffectiveConfig eff = EffectiveConfig.of(layers, "orders", "prod", "us", "orders-2", 7);

    assertThat(eff.values().get("venues")).isEqualTo(List.of("XLON", "XPAR"));
    assertThat(eff.values().get("mode")).isEqualTo("LIVE");
    assertThat(EffectiveConfig.of(layers, "orders", "dev", "", "x", 7).values()).isEmpty();
  }

  @Test
  void theDocumentIsCanonicalAndKeepsDecimalsExactly() {
    EffectiveConfig eff = EffectiveConfig.of(layers, "orders", "prod", "", "orders-9", 12);

    assertThat(eff.document())
        .isEqualTo(
            "{\"environment\":\"prod\",\"instance\":\"orders-9\",\"region\":\"\",\"revision\":12,"
                + "\"service\":\"orders\",\"sources\":{\"limits.maxNotional\":\"Config/orders-prod\","
                + "\"limits.maxQuantity\":\"Config/orders-prod\",\"mode\":\"Config/orders-prod\","
                + "\"venues\":\"Config/orders-prod\"},\"values\":{\"limits\":{\"maxNotional\":"
                + "5000000.00,\"maxQuantity\":100},\"mode\":\"LIVE\",\"venues\":[\"XLON\",\"XPAR\"]}}");
    assertThat(eff.digest()).hasSize(64).isEqualTo(EffectiveConfig.sha256(eff.document()));
    assertThat(EffectiveConfig.of(layers.reversed(), "orders", "prod", "", "orders-9", 12).digest())
        .isEqualTo(eff.digest());
  }

  @Test
  void aScalarReplacingAMapDropsTheSourcesBelowIt() {
    List<Config> two =
        List.of(
            config("a", "orders", "prod", "", "", Map.of("limits", Map.of("x", 1L, "y", 2L))),
            config("b", "orders", "prod", "r", "", Map.of("limits", "none")));

    EffectiveConfig eff = EffectiveConfig.of(two, "orders", "prod", "r", "i", 1);

    assertThat(eff.sources()).isEqualTo(Map.of("limits", "Config/b"));
  }

  @Test
  void defaultsFillWhatNoLayerSets() {
    EffectiveConfig eff =
        EffectiveConfig.of(layers, "orders", "prod", "", "orders-9", 3)
            .withDefaults(Schemas.orders().defaults());

    assertThat(eff.values().get("killSwitch")).isEqualTo(false);
    assertThat(eff.sources())
        .containsEntry("killSwitch", "default")
        .containsEntry("limits.timeout", "default")
        .containsEntry("limits.maxQuantity", "Config/orders-prod");
  }

  @Test
  void canonicalJsonEscapesAndMarksDecimals() {
    assertThat(CanonicalJson.write(Map.of("b", new BigDecimal("5E+2"), "a", "q\"\n")))
        .isEqualTo("{\"a\":\"q\\\"\\u000a\",\"b\":500.0}");
  }
}
