package dev.firemesh.examples.trading.generator.transport;

import dev.firemesh.examples.trading.generator.domain.Touch;
import dev.firemesh.examples.trading.marketdata.grpc.MarketDataApi;
import dev.firemesh.examples.trading.marketdata.grpc.MarketDataApi.QuoteMessage;
import dev.firemesh.examples.trading.marketdata.grpc.MarketDataApi.QuoteRequest;
import dev.firemesh.examples.trading.plumbing.Reachability;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quote stream from market-data, through the sidecar: a gRPC channel to the sidecar's outbound
 * listener with the authority {@code market-data}, which the sidecar routes by. A stream that ends
 * or fails is opened again a second later.
 */
final class QuoteSubscription implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("generator");

  private final ManagedChannel channel;
  private final Map<String, QuoteMessage> latest = new ConcurrentHashMap<>();
  private final Reachability reachability = new Reachability("market-data quote stream", log);
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
  final LongAdder received = new LongAdder();
  private volatile ClientCall<QuoteRequest, QuoteMessage> call;
  private volatile boolean closed;

  QuoteSubscription(InetSocketAddress sidecarOutbound) {
    channel =
        NettyChannelBuilder.forAddress(sidecarOutbound)
            .usePlaintext()
            .overrideAuthority("market-data")
            .build();
  }

  void start() {
    call = channel.newCall(MarketDataApi.STREAM_QUOTES, CallOptions.DEFAULT);
    ClientCalls.asyncServerStreamingCall(
        call,
        new QuoteRequest(List.of()),
        new StreamObserver<>() {
          private boolean first = true;

          @Override
          public void onNext(QuoteMessage quote) {
            if (first) {
              first = false;
              reachability.answered();
              log.info(
                  "quotes flowing from market-data (first: {} {}/{})",
                  quote.isin(),
                  quote.bid(),
                  quote.ask());
            }
            received.increment();
            latest.put(quote.isin(), quote);
          }

          @Override
          public void onError(Throwable t) {
            if (!closed) {
              reachability.failed(Status.fromThrowable(t).toString());
              again();
            }
          }

          @Override
          public void onCompleted() {
            if (!closed) {
              reachability.failed("the stream ended");
              again();
            }
          }
        });
  }

  private void again() {
    try {
      retry.schedule(this::start, 1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  Optional<Touch> touch(String isin) {
    return Optional.ofNullable(latest.get(isin))
        .map(q -> new Touch(new BigDecimal(q.bid()), new BigDecimal(q.ask())));
  }

  Map<String, QuoteMessage> latest() {
    return new TreeMap<>(latest);
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    retry.shutdownNow();
    ClientCall<QuoteRequest, QuoteMessage> current = call;
    if (current != null) {
      current.cancel("generator stopping", null);
    }
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
  }
}
