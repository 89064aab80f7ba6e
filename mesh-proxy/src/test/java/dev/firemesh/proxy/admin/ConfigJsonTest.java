package dev.firemesh.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConfigJsonTest {
  record Sample(
      String name,
      Duration timeout,
      Map<String, Integer> weights,
      Set<String> tags,
      PathMatcher path,
      Pattern pattern,
      List<Object> empty) {}

  @Test
  void writesRecordsWithSortedMapsAndSetsTypedVariantsAndEscapes() {
    String json =
        ConfigJson.encode(
            new Sample(
                "a \"quoted\"\n\u0001name",
                Duration.ofMillis(1500),
                Map.of("b", 2, "a", 1),
                Set.of("z", "y"),
                new PathMatcher.Prefix("/api"),
                Pattern.compile("^/x$"),
                List.of()));

    assertThat(json)
        .isEqualTo(
            """
            {
              "name": "a \\"quoted\\"\\n\\u0001name",
              "timeout": "1.5s",
              "weights": {
                "a": 1,
                "b": 2
              },
              "tags": [
                "y",
                "z"
              ],
              "path": {
                "type": "Prefix",
                "prefix": "/api"
              },
              "pattern": "^/x$",
              "empty": []
            }
            """);
  }
}
