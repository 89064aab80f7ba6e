package dev.firemesh.bench.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code firemesh bench events --smoke} on a real embedded PostgreSQL: every operation runs, every
 * scheduled one is accounted for, nothing fails, and the projection applies every appended event.
 * Whether a run kept up is the machine's business, not asserted.
 */
class EventsBenchTest {

  @Test
  void theSmokeRunAccountsForEveryOperationAndEveryAppendedEvent(@TempDir Path results)
      throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new EventsBenchCommand());
    cli.setOut(new PrintWriter(out, true));

    int exitCode = cli.execute("--smoke", "--results", results.toString());

    // 0 when every run kept up, 1 when one fell behind on a busy machine; 2 is a usage error
    assertThat(exitCode).as(out.toString()).isIn(0, 1);
    JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
    assertThat(json.path("storeSettings").path("fsync").asText()).isEqualTo("on");
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (JsonNode row : json.path("figures")) {
      assertThat(row.path("rate").asInt()).isEqualTo(200);
      rows.put(row.path("operation").asText(), row);
    }
    assertThat(rows)
        .containsOnlyKeys(EventsBench.OPERATIONS)
        .as("rows in the report's order")
        .satisfies(r -> assertThat(r.keySet()).containsExactlyElementsOf(EventsBench.OPERATIONS));
    for (String operation : new String[] {"append", "command", "command repeat"}) {
      JsonNode row = rows.get(operation);
      // 200/s for 1 s recorded: 200 operations scheduled, each one accounted for, none failed
      assertThat(row.path("scheduled").asLong()).as(operation).isEqualTo(200);
      assertThat(
              row.path("count").asLong()
                  + row.path("errors").asLong()
                  + row.path("missed").asLong())
          .as(operation)
          .isEqualTo(200);
      assertThat(row.path("errors").asLong()).as(operation + ": " + row).isZero();
      assertThat(row.path("p50").asLong()).as(operation).isPositive();
    }
    JsonNode lag = rows.get("subscriber lag");
    assertThat(lag.path("scheduled").asLong())
        .as("every committed append is waited for")
        .isEqualTo(rows.get("append").path("count").asLong());
    assertThat(lag.path("count").asLong())
        .as("the projection applied every appended event: " + lag)
        .isEqualTo(lag.path("scheduled").asLong());
    assertThat(Files.readString(results.resolve("results.md")))
        .contains("| operation | rate | p50 |")
        .contains("| subscriber lag | 200/s |")
        .contains("| command repeat | 200/s |");
    assertThat(out.toString()).contains("| append | 200/s |");
  }
}
