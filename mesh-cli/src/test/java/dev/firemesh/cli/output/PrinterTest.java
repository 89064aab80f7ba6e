package dev.firemesh.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.control.admin.AdminJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTest {
  private final StringWriter written = new StringWriter();
  private final Printer printer = new Printer(new PrintWriter(written));

  private static JsonNode json(String text) throws Exception {
    return AdminJson.mapper().readTree(text);
  }

  @Test
  void tableColumnsArePaddedToTheWidestCellWithTwoSpaces() {
    printer.table(
        List.of("KIND", "NAME", "SUMMARY"),
        List.of(
            List.of("Route", "orders", "service orders, 2 rule(s)"),
            List.of("AuthorizationPolicy", "risk-from-orders", ""),
            List.of("Config", "x", "service orders, env dev")));
    assertThat(written.toString().lines())
        .containsExactly(
            "KIND                 NAME              SUMMARY",
            "Route                orders            service orders, 2 rule(s)",
            // An empty last cell leaves no trailing blanks.
            "AuthorizationPolicy  risk-from-orders",
            "Config               x                 service orders, env dev");
  }

  @Test
  void aTableWithNoRowsIsItsHeader() {
    printer.table(List.of("NODE", "TYPE"), List.of());
    assertThat(written.toString()).isEqualTo("NODE  TYPE" + System.lineSeparator());
  }

  @Test
  void yamlKeepsKeyOrderTypesAndDecimalsAsWritten() throws Exception {
    JsonNode config =
        json(
            """
            {"maxOrderNotional": 50000000.00, "rate": 0.10, "quantity": 1000000,
             "allowedVenues": ["XLON", "XPAR"], "preTradeRiskCheck": true,
             "riskTimeout": "500ms", "looksLikeANumber": "10", "nothing": null}
            """);
    assertThat(Printer.toYaml(config))
        .isEqualTo(
            """
            maxOrderNotional: 50000000.00
            rate: 0.10
            quantity: 1000000
            allowedVenues:
            - XLON
            - XPAR
            preTradeRiskCheck: true
            riskTimeout: 500ms
            looksLikeANumber: '10'
            nothing: null
            """);
  }

  @Test
  void severalYamlDocumentsAreSeparated() throws Exception {
    printer.yaml(List.of(json("{\"a\": 1}"), json("{\"b\": 2}")));
    assertThat(written.toString().lines()).containsExactly("a: 1", "---", "b: 2");
  }

  @Test
  void jsonKeepsDecimalsAsWritten() throws Exception {
    printer.json(json("{\"maxOrderNotional\": 50000000.00}"));
    assertThat(written.toString()).contains("\"maxOrderNotional\" : 50000000.00");
  }
}
