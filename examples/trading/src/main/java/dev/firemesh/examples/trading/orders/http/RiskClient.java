package dev.firemesh.examples.trading.orders.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.chassis.client.MeshClient;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.examples.trading.orders.domain.RiskGate;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.plumbing.Reachability;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The risk service, asked by name through the chassis's mesh client (the sidecar balances, retries
 * and encrypts; the chassis carries the order's trace), within the configured risk timeout.
 */
final class RiskClient implements RiskGate {
  private static final Logger log = LoggerFactory.getLogger("orders");
  static final String SERVICE = "risk";

  private final MeshClient mesh;
  private final Supplier<Duration> timeout;
  private final Reachability reachability = new Reachability(SERVICE, log);

  RiskClient(MeshClient mesh, Supplier<Duration> timeout) {
    this.mesh = mesh;
    this.timeout = timeout;
  }

  @Override
  public Answer check(
      String account, Isin isin, long quantity, BigDecimal price, Currency currency) {
    String body =
        Json.object()
            .put("account", account)
            .put("isin", isin.value())
            .put("quantity", quantity)
            .put("price", price.toPlainString())
            .put("currency", currency.getCurrencyCode())
            .toString();
    HttpResponse response;
    try {
      response =
          mesh.send(
              SERVICE,
              "POST",
              "/checks",
              Optional.of(body.getBytes(StandardCharsets.UTF_8)),
              HttpResponse.JSON,
              timeout.get());
    } catch (IOException e) {
      reachability.failed(e.toString());
      return new Answer.Unavailable(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Unavailable("interrupted");
    }
    JsonNode answer;
    try {
      answer = Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      answer = Json.object();
    }
    if (response.status() != 200) {
      String why = SERVICE + " answered " + response.status() + " " + answer.path("error").asText();
      reachability.failed(why);
      return new Answer.Unavailable(why);
    }
    reachability.answered();
    return answer.path("approved").asBoolean()
        ? new Answer.Approved()
        : new Answer.Breached(answer.path("reason").asText());
  }
}
