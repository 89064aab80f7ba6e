package dev.firemesh.examples.trading.orders.http;

import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.examples.trading.orders.domain.RiskGate;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.plumbing.MeshHttp;
import dev.firemesh.examples.trading.plumbing.Reachability;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Currency;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST http://risk/checks} through the sidecar. */
final class RiskClient implements RiskGate {
  private static final Logger log = LoggerFactory.getLogger("orders");
  static final String SERVICE = "risk";

  private final MeshHttp mesh;
  private final Reachability reachability = new Reachability(SERVICE, log);

  RiskClient(MeshHttp mesh) {
    this.mesh = mesh;
  }

  @Override
  public Answer check(
      String account, Isin isin, long quantity, BigDecimal price, Currency currency) {
    var body =
        Json.object()
            .put("account", account)
            .put("isin", isin.value())
            .put("quantity", quantity)
            .put("price", price.toPlainString())
            .put("currency", currency.getCurrencyCode());
    MeshHttp.Response response;
    try {
      response = mesh.post(SERVICE, "/checks", body);
    } catch (IOException e) {
      reachability.failed(e.toString());
      return new Answer.Unavailable(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Unavailable("interrupted");
    }
    if (!response.ok()) {
      String why =
          SERVICE + " answered " + response.status() + " " + response.body().path("error").asText();
      reachability.failed(why);
      return new Answer.Unavailable(why);
    }
    reachability.answered();
    return response.body().path("approved").asBoolean()
        ? new Answer.Approved()
        : new Answer.Breached(response.body().path("reason").asText());
  }
}
