package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code apply -f} turns its arguments into the files it sends. */
class ApplyCommandTest {
  @TempDir Path dir;

  private static final InputStream NO_STDIN = InputStream.nullInputStream();

  private Path write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  void aFileIsSentUnderTheNameGiven() throws IOException {
    Path route = write("route.yaml", "kind: Route\n");
    assertThat(ApplyCommand.read(List.of(route.toString()), NO_STDIN))
        .containsExactly(new ApplyCommand.Source(route.toString(), "kind: Route\n"));
  }

  @Test
  void aDirectoryGivesEveryYamlFileBelowItInPathOrder() throws IOException {
    write("b.yaml", "b");
    write("a.yml", "a");
    write("nested/deeper/c.yaml", "c");
    write("nested/z.yaml", "z");
    write("README.md", "not yaml");
    write("nested/notes.txt", "not yaml");
    assertThat(ApplyCommand.read(List.of(dir.toString()), NO_STDIN))
        .extracting(ApplyCommand.Source::name)
        .containsExactly(
            dir.resolve("a.yml").toString(),
            dir.resolve("b.yaml").toString(),
            dir.resolve("nested/deeper/c.yaml").toString(),
            dir.resolve("nested/z.yaml").toString());
  }

  @Test
  void dashReadsStandardInputOnce() throws IOException {
    Path file = write("service.yaml", "kind: Service\n");
    InputStream stdin = new ByteArrayInputStream("kind: Route\n".getBytes(StandardCharsets.UTF_8));
    assertThat(ApplyCommand.read(List.of(file.toString(), "-"), stdin))
        .containsExactly(
            new ApplyCommand.Source(file.toString(), "kind: Service\n"),
            new ApplyCommand.Source("<stdin>", "kind: Route\n"));
    assertThatThrownBy(() -> ApplyCommand.read(List.of("-", "-"), NO_STDIN))
        .isInstanceOf(BadInputException.class)
        .hasMessage("-f - (standard input) can be given only once");
  }

  @Test
  void aMissingFileIsBadInputSaidOnce() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ApplyCommand.read(List.of(missing.toString()), NO_STDIN))
        .isInstanceOf(BadInputException.class)
        .hasMessage("cannot read " + missing + ": no such file");
  }

  @Test
  void aDirectoryWithoutYamlIsBadInput() throws IOException {
    write("empty/notes.txt", "x");
    Path empty = dir.resolve("empty");
    assertThatThrownBy(() -> ApplyCommand.read(List.of(empty.toString()), NO_STDIN))
        .isInstanceOf(BadInputException.class)
        .hasMessage("no .yaml or .yml files under " + empty);
  }

  @Test
  void aFileThatIsNotUtf8IsBadInput() throws IOException {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xE9});
    assertThatThrownBy(() -> ApplyCommand.read(List.of(latin1.toString()), NO_STDIN))
        .isInstanceOf(BadInputException.class)
        .hasMessage("cannot read " + latin1 + ": not UTF-8 text");
  }
}
