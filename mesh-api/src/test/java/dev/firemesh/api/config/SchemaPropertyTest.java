package dev.firemesh.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the values and the schema, checking gives problems, never an exception. */
class SchemaPropertyTest {

  @Property(tries = 500)
  void checkingNeverThrows(
      @ForAll("schemas") SchemaNode root, @ForAll("objects") Map<String, Object> values) {
    ConfigSchema schema = new ConfigSchema("orders", root);

    assertThat(schema.check(values))
        .allSatisfy(p -> assertThat(p.field()).startsWith("spec.values"));
    assertThat(schema.missing(values)).isNotNull();
    assertThat(CanonicalJson.write(values)).isNotEmpty();
  }

  @Property(tries = 300)
  void theJsonFormRoundTrips(@ForAll("schemas") SchemaNode root) {
    ConfigSchema schema = new ConfigSchema("orders", root);

    assertThat(ConfigSchema.fromJson(schema.toJson())).isEqualTo(schema);
  }

  @Provide
  Arbitrary<SchemaNode> schemas() {
    return node(3).map(n -> n.type() == SchemaType.OBJECT ? n : Schemas.object(Map.of("x", n)));
  }

  @Provide
  Arbitrary<Map<String, Object>> objects() {
    return Arbitraries.maps(keys(), value(3)).ofMaxSize(5);
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.of("x", "y", "limits", "mode", "a.b", "");
  }

  private static Arbitrary<Object> value(int depth) {
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
            Arbitraries.of("env:KEY", "file:/x", "5s", "250ms", "LIVE", "X").map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.bigDecimals().ofScale(2).map(d -> (Object) d),
            Arbitraries.of(true, false).map(b -> (Object) b));
    if (depth == 0) {
      return scalar;
    }
    return Arbitraries.oneOf(
        scalar,
        Arbitraries.lazy(() -> value(depth - 1))
            .list()
            .ofMaxSize(3)
            .map(l -> (Object) List.copyOf(l)),
        Arbitraries.maps(keys(), Arbitraries.lazy(() -> value(depth - 1)))
            .ofMaxSize(3)
            .map(m -> (Object) Map.copyOf(m)));
  }

  private static Arbitrary<SchemaNode> node(int depth) {
    Arbitrary<SchemaNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.of(
                    SchemaType.STRING,
                    SchemaType.BOOLEAN,
                    SchemaType.INTEGER,
                    SchemaType.DECIMAL,
                    SchemaType.DURATION,
                    SchemaType.SECRET)
                .map(Schemas::leaf),
            Arbitraries.of(
                    SchemaType.STRING,
                    SchemaType.INTEGER,
                    SchemaType.DECIMAL,
                    SchemaType.DURATION,
                    SchemaType.BOOLEAN)
                .map(Schemas::required),
            Arbitraries.longs()
                .between(-5, 5)
                .map(min -> Schemas.range(SchemaType.INTEGER, min, min + 10)),
            Arbitraries.longs()
                .between(0, 100)
                .map(min -> Schemas.range(SchemaType.DECIMAL, min, min + 1000)),
            Arbitraries.of("X.*", "[a-z]+", "LIVE|PAPER").map(Schemas::pattern),
            Arbitraries.just(Schemas.oneOf("LIVE", "PAPER")),
            Arbitraries.just(Schemas.withDefault(SchemaType.DECIMAL, new BigDecimal("1.50"))),
            Arbitraries.just(Schemas.withDefault(SchemaType.DURATION, "5s")));
    if (depth == 0) {
      return leaf;
    }
    return Arbitraries.oneOf(
        leaf,
        Arbitraries.lazy(() -> node(depth - 1)).map(e -> Schemas.list(e, 0, 3)),
        Arbitraries.maps(
                Arbitraries.of("x", "y", "limits", "mode"), Arbitraries.lazy(() -> node(depth - 1)))
            .ofMaxSize(3)
            .map(Schemas::object));
  }
}
