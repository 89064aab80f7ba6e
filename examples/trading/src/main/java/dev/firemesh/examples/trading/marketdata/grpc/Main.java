package dev.firemesh.examples.trading.marketdata.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.examples.trading.marketdata.domain.Listing;
import dev.firemesh.examples.trading.marketdata.domain.MarketSimulator;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.Lifecycle;
import dev.firemesh.examples.trading.plumbing.MeshHttp;
import dev.firemesh.examples.trading.plumbing.Summary;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market-data service: {@code --port PORT} (gRPC, h2c; 0 picks one), {@code --sidecar
 * HOST:PORT} (its sidecar's outbound listener, to load the instruments from reference-data), {@code
 * --quotes-per-second N} (default 20), {@code --ready-file FILE} (optional).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("market-data");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("market-data", argv);
    double rate = args.number("quotes-per-second", 20);
    QuoteStream stream = new QuoteStream();
    Lifecycle life = new Lifecycle(args);
    MeshHttp mesh =
        life.closeAtExit(
            new MeshHttp(args.address("sidecar", "127.0.0.1:15001"), Duration.ofSeconds(2)));
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", args.port("port", 0)))
            .addService(stream.service())
            .build()
            .start();
    life.closeAtExit(
        () -> {
          stream.completeAll();
          server.shutdown().awaitTermination(2, TimeUnit.SECONDS);
        });
    Thread market =
        Thread.ofPlatform()
            .name("market")
            .daemon()
            .start(() -> run(mesh, stream, Duration.ofNanos((long) (1e9 / rate))));
    life.closeAtExit(market::interrupt);
    Thread summary =
        Summary.every(
            Duration.ofSeconds(10),
            log,
            () ->
                "quotes: "
                    + stream.sent.sum()
                    + " sent, "
                    + stream.conflated.sum()
                    + " conflated (slow subscribers), "
                    + stream.subscribers()
                    + " subscribed");
    life.closeAtExit(summary::interrupt);
    life.serve(
        server.getPort(), "gRPC " + MarketDataApi.SERVICE + "/StreamQuotes, " + rate + " quotes/s");
  }

  private static void run(MeshHttp mesh, QuoteStream stream, Duration period) {
    MarketSimulator market;
    try {
      market = new MarketSimulator(listings(mesh), new Random(), InstantSource.system());
    } catch (InterruptedException e) {
      return;
    }
    log.info("quoting {} instruments", market.listings().size());
    long next = System.nanoTime();
    long ticks = 0;
    while (!Thread.currentThread().isInterrupted()) {
      // Every other tick goes to an instrument someone asked for by name: among some 300
      // listings, one watched instrument would otherwise tick once in 15 s.
      List<String> watched = ++ticks % 2 == 0 ? stream.watched() : List.of();
      stream.publish(market.next(watched).orElseGet(market::next));
      next += period.toNanos();
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** The instruments to quote, from reference-data through the sidecar; waits until it answers. */
  private static List<Listing> listings(MeshHttp mesh) throws InterruptedException {
    boolean told = false;
    while (true) {
      try {
        MeshHttp.Response response = mesh.get("reference-data", "/instruments");
        if (response.ok() && response.body().isArray()) {
          List<Listing> listings = new ArrayList<>();
          for (JsonNode i : response.body()) {
            listings.add(
                new Listing(
                    new Isin(i.path("isin").asText()),
                    i.path("mic").asText(),
                    new BigDecimal(i.path("tickSize").asText()),
                    new BigDecimal(i.path("previousClose").asText())));
          }
          return listings;
        }
        if (!told) {
          log.info(
              "waiting for reference-data: {} {}",
              response.status(),
              response.body().path("error").asText());
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
