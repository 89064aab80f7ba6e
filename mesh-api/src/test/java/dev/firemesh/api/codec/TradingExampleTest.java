package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.ReferenceCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sample the demo applies must stay valid: every file parses and all references resolve. */
class TradingExampleTest {

  static final Path EXAMPLES = Path.of("..", "examples", "trading", "mesh");

  /** Resources a user applies on top of the mesh, such as a Canary; checked against it. */
  static final Path ROLLOUTS = Path.of("..", "examples", "trading", "rollouts");

  private static List<ParsedResource> all() throws IOException {
    List<ParsedResource> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        all.addAll(ResourceCodec.parse(file));
      }
    }
    return all;
  }

  @Test
  void everyFileParsesAndEveryReferenceResolves() throws IOException {
    List<ParsedResource> all = all();
    try (Stream<Path> files = Files.list(ROLLOUTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        all.addAll(ResourceCodec.parse(file));
      }
    }

    assertThat(all).extracting(p -> p.resource().kind()).contains(Kind.values());
    assertThat(ReferenceCheck.check(all, List.of(), Set.of())).isEmpty();
  }

  @Test
  void describesTheTradingPlatform() throws IOException {
    List<Resource> all = all().stream().map(ParsedResource::resource).toList();

    assertThat(all)
        .filteredOn(r -> r instanceof Service)
        .extracting(Resource::name)
        .containsExactlyInAnyOrder("reference-data", "market-data", "orders", "risk", "gateway");
    Route orders =
        (Route)
            all.stream()
                .filter(r -> r.key().toString().equals("Route/orders"))
                .findFirst()
                .orElseThrow();
    assertThat(orders.spec().rules().getLast().destinations())
        .extracting(Route.Destination::subset, Route.Destination::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("v1", 90),
            org.assertj.core.groups.Tuple.tuple("v2", 10));
  }

  @Test
  void everyExampleRoundTrips() throws IOException {
    for (ParsedResource parsed : all()) {
      Resource r = parsed.resource();
      assertThat(ResourceCodec.fromJson(ResourceCodec.toJson(r))).isEqualTo(r);
      assertThat(ResourceCodec.parse("x.yaml", ResourceCodec.toYaml(r)).getFirst().resource())
          .isEqualTo(r);
    }
  }
}
