package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every help text renders cleanly: no picocli warning, no unreplaced format specifier. */
class HelpTextTest {
  private static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    paths.add(List.of());
    collect(FireMesh.commandLine(), new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine cli, List<String> prefix, List<List<String>> paths) {
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(sub.getKey());
      paths.add(path);
      collect(sub.getValue(), path, paths);
    }
  }

  @Test
  void everyHelpRendersWithoutWarningsOrLeftovers() {
    List<List<String>> paths = commandPaths();
    assertThat(paths).hasSizeGreaterThan(10);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Cli.Result help = Cli.run(args.toArray(String[]::new));
      String what = String.join(" ", args);
      assertThat(help.exitCode()).as(what).isZero();
      assertThat(help.err()).as(what + " stderr").isEmpty();
      assertThat(help.out()).as(what).contains("Usage: firemesh").doesNotContain("%n", "%%");
    }
  }

  @Test
  void theApplyExampleShowsItsPercentSign() {
    assertThat(Cli.run("apply", "--help").out()).contains("-m \"shift 10% to v2\"");
  }

  @Test
  void theRootListsEachCommandWithACompleteFirstSentence() {
    CommandLine root = FireMesh.commandLine();
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      String[] description = sub.getValue().getCommandSpec().usageMessage().description();
      assertThat(description).as(sub.getKey()).isNotEmpty();
      assertThat(description[0]).as(sub.getKey()).endsWith(".").hasSizeLessThan(100);
    }
  }

  @Test
  void onlyTheRootHelpCarriesTheRootFooter() {
    assertThat(Cli.run("--help").out()).contains("Start here:");
    for (List<String> path : commandPaths()) {
      if (path.isEmpty()) {
        continue;
      }
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      assertThat(Cli.run(args.toArray(String[]::new)).out())
          .as(String.join(" ", args))
          .doesNotContain("Start here:");
    }
  }
}
