package dev.firemesh.examples.trading.orders.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.examples.trading.orders.domain.InstrumentDirectory;
import dev.firemesh.examples.trading.orders.domain.ListedInstrument;
import dev.firemesh.examples.trading.orders.domain.Lookup;
import dev.firemesh.examples.trading.orders.domain.TradingAccount;
import dev.firemesh.examples.trading.plumbing.MeshHttp;
import dev.firemesh.examples.trading.plumbing.Reachability;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code http://reference-data/...} through the sidecar. */
final class ReferenceDataClient implements InstrumentDirectory {
  private static final Logger log = LoggerFactory.getLogger("orders");
  static final String SERVICE = "reference-data";

  private final MeshHttp mesh;
  private final Reachability reachability = new Reachability(SERVICE, log);

  ReferenceDataClient(MeshHttp mesh) {
    this.mesh = mesh;
  }

  @Override
  public Lookup<ListedInstrument> instrument(Isin isin) {
    return lookup(
        "/instruments/" + isin.value(),
        body ->
            new ListedInstrument(
                isin,
                body.path("name").asText(),
                body.path("mic").asText(),
                Currency.getInstance(body.path("currency").asText()),
                new BigDecimal(body.path("tickSize").asText())));
  }

  @Override
  public Lookup<TradingAccount> account(String id) {
    return lookup(
        "/accounts/" + URLEncoder.encode(id, StandardCharsets.UTF_8),
        body -> new TradingAccount(id, body.path("status").asText().equals("OPEN")));
  }

  private <T> Lookup<T> lookup(String path, Function<JsonNode, T> read) {
    MeshHttp.Response response;
    try {
      response = mesh.get(SERVICE, path);
    } catch (IOException e) {
      reachability.failed(e.toString());
      return new Lookup.Unavailable<>(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Lookup.Unavailable<>("interrupted");
    }
    if (response.ok()) {
      reachability.answered();
      return new Lookup.Found<>(read.apply(response.body()));
    }
    if (response.status() == 404 && response.json()) {
      reachability.answered();
      return new Lookup.Missing<>();
    }
    String why =
        SERVICE + " answered " + response.status() + " " + response.body().path("error").asText();
    reachability.failed(why);
    return new Lookup.Unavailable<>(why);
  }
}
