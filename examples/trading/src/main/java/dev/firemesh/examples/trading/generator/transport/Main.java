package dev.firemesh.examples.trading.generator.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.examples.trading.generator.domain.OrderFlow;
import dev.firemesh.examples.trading.generator.domain.Ticket;
import dev.firemesh.examples.trading.generator.domain.Tradable;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.Json;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.JsonServer.Reply;
import dev.firemesh.examples.trading.plumbing.Lifecycle;
import dev.firemesh.examples.trading.plumbing.MeshHttp;
import dev.firemesh.examples.trading.plumbing.Reachability;
import dev.firemesh.examples.trading.plumbing.Summary;
import dev.firemesh.examples.trading.risk.domain.ReferenceRates;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic generator: {@code --port PORT} (its status page; 0 picks one), {@code --sidecar
 * HOST:PORT} (its sidecar's outbound listener), {@code --rate N} orders a second (default 4),
 * {@code --invalid-share F} of them meant to be rejected (default 0.1), {@code --ready-file FILE}
 * (optional).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("generator");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("traffic-generator", argv);
    double rate = args.number("rate", 4);
    double invalidShare = args.number("invalid-share", 0.1);
    if (rate <= 0 || rate > 1000) {
      throw new IllegalArgumentException(
          "--rate: expected more than 0 and at most 1000 orders/s, got " + rate);
    }
    InetSocketAddress sidecar = args.address("sidecar", "127.0.0.1:15001");
    Lifecycle life = new Lifecycle(args);
    // Longer than orders' own wait for its dependencies (5 s), so a slow dependency shows as
    // orders' 503 with a reason, not as a timeout here.
    MeshHttp mesh = life.closeAtExit(new MeshHttp(sidecar, Duration.ofSeconds(8)));
    QuoteSubscription quotes = life.closeAtExit(new QuoteSubscription(sidecar));
    FlowStats stats = new FlowStats();
    JsonServer page =
        life.closeAtExit(
            new JsonServer()
                .get("/health", r -> Reply.ok(Json.object().put("status", "UP")))
                .get("/stats", r -> Reply.ok(stats.json().put("quotes", quotes.received.sum())))
                .get("/quotes", r -> Reply.ok(Json.MAPPER.valueToTree(quotes.latest())))
                .start(args.port("port", 0)));
    Thread flow =
        Thread.ofVirtual()
            .name("order-flow")
            .start(() -> run(mesh, quotes, stats, rate, invalidShare));
    life.closeAtExit(flow::interrupt);
    Thread summary =
        Summary.every(
            Duration.ofSeconds(10),
            log,
            () ->
                "order flow: "
                    + stats.sent.sum()
                    + " sent, "
                    + stats.accepted.sum()
                    + " accepted, "
                    + stats.rejectedTotal()
                    + " rejected "
                    + stats.rejections()
                    + ", "
                    + stats.failed.sum()
                    + " failed, "
                    + stats.injected.sum()
                    + " failed by an injected fault, "
                    + stats.unexpected.sum()
                    + " unexpected; "
                    + quotes.received.sum()
                    + " quotes received");
    life.closeAtExit(summary::interrupt);
    life.serve(
        page.port(),
        "sending "
            + rate
            + " orders/s to orders and streaming quotes through the sidecar at "
            + sidecar.getPort());
  }

  private static void run(
      MeshHttp mesh, QuoteSubscription quotes, FlowStats stats, double rate, double invalidShare) {
    OrderFlow flow;
    try {
      flow = flow(mesh, invalidShare);
      awaitOrders(mesh);
    } catch (InterruptedException e) {
      return;
    }
    quotes.start();
    log.info(
        "order flow started: {} orders/s, {}% meant to be rejected",
        rate, Math.round(invalidShare * 100));
    Reachability orders = new Reachability("orders", log);
    long period = (long) (1e9 / rate);
    long next = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      Ticket ticket = flow.next(quotes::touch);
      send(mesh, orders, stats, ticket);
      next += period;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
          return;
        }
      } else if (-wait > 10 * period) {
        next = System.nanoTime(); // fell far behind (orders slow or away): do not burst to catch up
      }
    }
  }

  /**
   * Marks the generator's own orders, so the demo's Route can aim its injected faults at this
   * synthetic flow alone (examples/trading/mesh/orders-route.yaml) and leave a user's calls alone.
   */
  static final Map<String, String> SYNTHETIC_FLOW = Map.of("x-flow", "synthetic");

  private static void send(MeshHttp mesh, Reachability orders, FlowStats stats, Ticket ticket) {
    ObjectNode order =
        Json.object()
            .put("clientOrderId", ticket.clientOrderId())
            .put("account", ticket.account())
            .put("isin", ticket.isin())
            .put("side", ticket.side())
            .put("quantity", ticket.quantity())
            .put("limitPrice", ticket.limitPrice().toPlainString());
    stats.sent.increment();
    try {
      MeshHttp.Response response = mesh.post("orders", "/orders", order, SYNTHETIC_FLOW);
      String status = response.body().path("status").asText();
      if (response.faultInjected()) {
        // The mesh answered in orders' place on purpose (the demo's fault injection): a failure
        // the operator asked for, counted apart so that "failed" still means something broke.
        stats.injected.increment();
      } else if (response.status() == 201 && status.equals("ACCEPTED")) {
        orders.answered();
        stats.accepted(ticket, response.body().path("handledBy").asText("?"));
      } else if (response.status() == 422 && status.equals("REJECTED")) {
        orders.answered();
        stats.rejected(ticket, response.body().path("reason").asText());
      } else {
        stats.failed.increment();
        orders.failed(
            response.status()
                + " "
                + response.body().path("detail").asText(response.body().path("error").asText()));
      }
    } catch (IOException e) {
      stats.failed.increment();
      orders.failed(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Until orders answers: it starts after reference-data (its replica loads from it), so an order
   * sent before would fail for want of an endpoint, which is no failure of the mesh.
   */
  private static void awaitOrders(MeshHttp mesh) throws InterruptedException {
    boolean told = false;
    while (true) {
      try {
        MeshHttp.Response stats = mesh.get("orders", "/orders/stats");
        if (stats.ok()) {
          return;
        }
        if (!told) {
          log.info("waiting for orders: {}", stats.status());
        }
      } catch (IOException e) {
        if (!told) {
          log.info("waiting for orders: {}", e.toString());
        }
      }
      told = true;
      Thread.sleep(500);
    }
  }

  /** The instruments and accounts to trade, from reference-data; waits until it answers. */
  private static OrderFlow flow(MeshHttp mesh, double invalidShare) throws InterruptedException {
    boolean told = false;
    while (true) {
      try {
        MeshHttp.Response instruments = mesh.get("reference-data", "/instruments");
        MeshHttp.Response accounts = mesh.get("reference-data", "/accounts");
        if (instruments.ok() && accounts.ok()) {
          List<Tradable> tradables = new ArrayList<>();
          ReferenceRates rates = ReferenceRates.sample(); // risk's rates
          for (JsonNode i : instruments.body()) {
            // An instrument risk cannot value in euros is refused whatever the order: not traded.
            rates
                .eurPerUnit(Currency.getInstance(i.path("currency").asText()))
                .ifPresent(
                    eurPerUnit ->
                        tradables.add(
                            new Tradable(
                                i.path("isin").asText(),
                                i.path("name").asText(),
                                new BigDecimal(i.path("tickSize").asText()),
                                new BigDecimal(i.path("previousClose").asText()),
                                eurPerUnit)));
          }
          List<String> open = new ArrayList<>();
          List<String> closed = new ArrayList<>();
          for (JsonNode a : accounts.body()) {
            (a.path("status").asText().equals("OPEN") ? open : closed).add(a.path("id").asText());
          }
          return new OrderFlow(
              tradables,
              open,
              closed,
              invalidShare,
              new Random(),
              Long.toString(System.currentTimeMillis(), Character.MAX_RADIX));
        }
        if (!told) {
          log.info("waiting for reference-data: {}", instruments.status());
        }
      } catch (IOException e) {
        if (!told) {
          log.info("waiting for reference-data: {}", e.toString());
        }
      }
      told = true;
      Thread.sleep(500);
    }
  }
}
