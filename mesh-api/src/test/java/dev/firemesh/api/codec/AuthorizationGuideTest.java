package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every resource in the authorization guide and its reference section is valid as written. */
class AuthorizationGuideTest {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern HEREDOC = Pattern.compile("<<'YAML'\\n(.*?)\\nYAML", Pattern.DOTALL);

  @Test
  void everyExampleParses() throws IOException {
    List<String> blocks = new ArrayList<>();
    String guide = Files.readString(Path.of("..", "docs", "security", "authorization.md"));
    for (Pattern p : List.of(YAML_BLOCK, HEREDOC)) {
      Matcher m = p.matcher(guide);
      while (m.find()) {
        blocks.add(m.group(1));
      }
    }
    assertThat(blocks).hasSize(2);
    for (String block : blocks) {
      assertThat(ResourceCodec.parse("authorization.md", block)).isNotEmpty();
    }
  }
}
