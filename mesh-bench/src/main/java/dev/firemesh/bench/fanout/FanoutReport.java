package dev.firemesh.bench.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A whole run: which control plane, when, and one result per fleet size.
 *
 * @param admin the admin API's base URL
 * @param xds the ADS address
 * @param started when the run began (ISO-8601)
 * @param probeService the Service whose port each apply changed
 * @param results one per fleet size, in the order run
 */
public record FanoutReport(
    String admin, String xds, String started, String probeService, List<FanoutResult> results) {

  public FanoutReport {
    results = List.copyOf(results);
  }

  /** True when every result is {@link FanoutResult#complete()}. */
  public boolean complete() {
    return results.stream().allMatch(FanoutResult::complete);
  }

  /** The results as a Markdown table. */
  public String markdown() {
    StringBuilder table = new StringBuilder(FanoutResult.markdownHeader());
    results.forEach(result -> table.append('\n').append(result.markdownRow()));
    return table.toString();
  }

  public void writeJson(Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
  }
}
