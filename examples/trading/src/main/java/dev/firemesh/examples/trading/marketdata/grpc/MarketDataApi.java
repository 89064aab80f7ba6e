package dev.firemesh.examples.trading.marketdata.grpc;

import dev.firemesh.examples.trading.plumbing.JsonMarshaller;
import io.grpc.MethodDescriptor;
import java.util.List;

/**
 * The market-data gRPC API, as a client needs it. Its messages are JSON:
 *
 * <pre>
 * rpc StreamQuotes(QuoteRequest) returns (stream QuoteMessage)
 *   QuoteRequest  {"isins": ["GB0007980591", ...]}    (empty or absent: every instrument)
 *   QuoteMessage  {"isin", "venue", "bid", "ask", "bidSize", "askSize", "sequence", "time"}
 * </pre>
 *
 * A slow subscriber is conflated: quotes that would queue behind its flow-control window are
 * dropped, and the next one it gets is the newest (the {@code sequence} shows the gap).
 */
public final class MarketDataApi {
  public static final String SERVICE = "firemesh.trading.MarketData";

  /**
   * @param isins the instruments wanted; empty for every one
   */
  public record QuoteRequest(List<String> isins) {
    public QuoteRequest {
      isins = isins == null ? List.of() : List.copyOf(isins);
    }
  }

  /** Prices as decimal strings, so no digit is lost to a double; time as ISO 8601 UTC. */
  public record QuoteMessage(
      String isin,
      String venue,
      String bid,
      String ask,
      long bidSize,
      long askSize,
      long sequence,
      String time) {}

  public static final MethodDescriptor<QuoteRequest, QuoteMessage> STREAM_QUOTES =
      MethodDescriptor.<QuoteRequest, QuoteMessage>newBuilder()
          .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "StreamQuotes"))
          .setRequestMarshaller(new JsonMarshaller<>(QuoteRequest.class))
          .setResponseMarshaller(new JsonMarshaller<>(QuoteMessage.class))
          .build();

  private MarketDataApi() {}
}
