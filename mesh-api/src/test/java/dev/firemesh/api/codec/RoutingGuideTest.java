package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.ReferenceCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every YAML example of the routing guide is valid, as a reader would apply it. */
class RoutingGuideTest {
  private static final Path GUIDE = Path.of("..", "docs", "traffic", "routing.md");
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyExampleParsesAndItsReferencesResolveAgainstTheGuidesService() throws IOException {
    Matcher blocks = YAML_BLOCK.matcher(Files.readString(GUIDE));
    List<String> examples = new ArrayList<>();
    while (blocks.find()) {
      examples.add(blocks.group(1));
    }
    assertThat(examples).hasSizeGreaterThan(7);

    List<ParsedResource> service = ResourceCodec.parse("service.yaml", examples.getFirst());
    assertThat(service).extracting(p -> p.resource().kind()).containsExactly(Kind.SERVICE);
    for (int i = 1; i < examples.size(); i++) {
      List<ParsedResource> batch = new ArrayList<>(service);
      batch.addAll(ResourceCodec.parse("example-" + i + ".yaml", examples.get(i)));
      assertThat(ReferenceCheck.check(batch, List.of(), Set.of()))
          .as("example %d:\n%s", i, examples.get(i))
          .isEmpty();
    }
  }
}
