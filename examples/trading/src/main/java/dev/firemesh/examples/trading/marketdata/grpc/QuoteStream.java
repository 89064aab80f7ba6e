package dev.firemesh.examples.trading.marketdata.grpc;

import dev.firemesh.examples.trading.marketdata.domain.Quote;
import dev.firemesh.examples.trading.marketdata.grpc.MarketDataApi.QuoteMessage;
import dev.firemesh.examples.trading.marketdata.grpc.MarketDataApi.QuoteRequest;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quote stream's subscribers, and the fan-out of each published quote to them. {@link #publish}
 * is called by one thread, the market's, so each stream has a single writer.
 */
final class QuoteStream {
  private static final Logger log = LoggerFactory.getLogger("market-data");

  private record Subscriber(Set<String> isins, ServerCallStreamObserver<QuoteMessage> stream) {
    boolean wants(String isin) {
      return isins.isEmpty() || isins.contains(isin);
    }
  }

  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  final LongAdder sent = new LongAdder();
  final LongAdder conflated = new LongAdder();

  ServerServiceDefinition service() {
    return ServerServiceDefinition.builder(MarketDataApi.SERVICE)
        .addMethod(
            MarketDataApi.STREAM_QUOTES, ServerCalls.asyncServerStreamingCall(this::subscribe))
        .build();
  }

  private void subscribe(QuoteRequest request, StreamObserver<QuoteMessage> observer) {
    var stream = (ServerCallStreamObserver<QuoteMessage>) observer;
    Subscriber subscriber = new Subscriber(Set.copyOf(request.isins()), stream);
    stream.setOnCancelHandler(
        () -> {
          subscribers.remove(subscriber);
          log.info("quote subscriber left; {} subscribed", subscribers.size());
        });
    subscribers.add(subscriber);
    log.info(
        "quote subscriber joined for {}; {} subscribed",
        request.isins().isEmpty() ? "every instrument" : request.isins(),
        subscribers.size());
  }

  /** The instruments some subscriber asked for by ISIN (a subscriber to every one counts not). */
  List<String> watched() {
    Set<String> all = new java.util.TreeSet<>();
    subscribers.forEach(s -> all.addAll(s.isins()));
    return List.copyOf(all);
  }

  int subscribers() {
    return subscribers.size();
  }

  void publish(Quote quote) {
    QuoteMessage message = null;
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.wants(quote.isin().value())) {
        continue;
      }
      if (!subscriber.stream().isReady()) {
        conflated.increment();
        continue;
      }
      if (message == null) {
        message = message(quote);
      }
      try {
        subscriber.stream().onNext(message);
        sent.increment();
      } catch (RuntimeException e) {
        // Cancelled between isReady and onNext: the cancel handler removes it.
      }
    }
  }

  /** Ends every stream, so subscribers see a clean end rather than a reset. */
  void completeAll() {
    for (Subscriber subscriber : subscribers) {
      try {
        subscriber.stream().onCompleted();
      } catch (RuntimeException e) {
        // already cancelled
      }
    }
    subscribers.clear();
  }

  static QuoteMessage message(Quote quote) {
    return new QuoteMessage(
        quote.isin().value(),
        quote.venue(),
        quote.bid().toPlainString(),
        quote.ask().toPlainString(),
        quote.bidSize(),
        quote.askSize(),
        quote.sequence(),
        quote.time().toString());
  }
}
