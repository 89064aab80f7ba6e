package dev.firemesh.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpScheme;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link LoadPlan}: opens the connections, starts every connection's share of the schedule
 * at one instant, waits for the measured window and its drain, and merges what each connection
 * recorded into a {@link LoadReport}. Blocks the calling thread (a CLI or test thread), never an
 * event loop.
 */
public final class OpenLoopGenerator {

  // time to hand the start to every event loop before the first slot is due
  private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private OpenLoopGenerator() {}

  public static LoadReport run(LoadPlan plan) throws InterruptedException {
    Transport transport = Transport.select();
    int threads = Math.min(plan.connections(), Runtime.getRuntime().availableProcessors());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
    ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer(plan.payloadBytes());
    try {
      byte[] body = new byte[plan.payloadBytes()];
      ThreadLocalRandom.current().nextBytes(body); // incompressible, in case anything compresses
      payload.writeBytes(body);
      return run(plan, transport, group, payload);
    } finally {
      payload.release();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static LoadReport run(
      LoadPlan plan, Transport transport, EventLoopGroup group, ByteBuf payload)
      throws InterruptedException {
    ScheduledExchange.WireInstaller installer = installer(plan, payload);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(transport.channelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
    List<ScheduledExchange> exchanges = new ArrayList<>();
    for (int i = 0; i < plan.connections(); i++) {
      exchanges.add(
          new ScheduledExchange(
              i,
              group.next(),
              bootstrap,
              plan.target(),
              installer,
              plan.pipelineDepth(),
              plan.drain().toNanos()));
    }
    try {
      for (ScheduledExchange exchange : exchanges) {
        var connect = exchange.connectFirst().await();
        if (!connect.isSuccess()) {
          throw new UncheckedIOException(
              new IOException(
                  "cannot connect to " + plan.target() + ": " + connect.cause().getMessage(),
                  connect.cause()));
        }
      }

      Schedule schedule =
          new Schedule(
              System.nanoTime() + START_DELAY_NANOS,
              plan.rate(),
              plan.connections(),
              plan.warmupSlots(),
              plan.measuredSlots());
      List<CompletableFuture<ScheduledExchange.ConnectionTally>> tallies = new ArrayList<>();
      for (ScheduledExchange exchange : exchanges) {
        tallies.add(exchange.result());
        exchange.start(schedule);
      }
      long waitNanos =
          schedule.lastSlotNanos()
              + plan.drain().toNanos()
              + TimeUnit.SECONDS.toNanos(5)
              - System.nanoTime();
      CompletableFuture.allOf(tallies.toArray(CompletableFuture[]::new))
          .get(waitNanos, TimeUnit.NANOSECONDS);
      return report(plan, transport, schedule, tallies);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the load generator's connections did not finish", e);
    } finally {
      // a finished exchange has closed its connection already; this is for a failed start
      for (ScheduledExchange exchange : exchanges) {
        exchange.stop();
      }
    }
  }

  /** The handlers of one connection in the plan's protocol, sending {@code payload} each time. */
  private static ScheduledExchange.WireInstaller installer(LoadPlan plan, ByteBuf payload) {
    return switch (plan.protocol()) {
      case HTTP1 -> {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.HOST, plan.host());
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, plan.payloadBytes());
        yield (pipeline, exchange) ->
            pipeline
                .addLast(new HttpClientCodec())
                .addLast(new Http1Wire(exchange, plan.path(), headers, payload));
      }
      case H2 ->
          (pipeline, exchange) -> {
            // one header block per connection: HPACK only reads it
            Http2Headers headers =
                new DefaultHttp2Headers()
                    .method(HttpMethod.POST.asciiName())
                    .scheme(HttpScheme.HTTP.name())
                    .authority(plan.host())
                    .path(plan.path());
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, plan.payloadBytes());
            pipeline.addLast(H2Wire.create(exchange, headers, payload));
          };
    };
  }

  private static LoadReport report(
      LoadPlan plan,
      Transport transport,
      Schedule schedule,
      List<CompletableFuture<ScheduledExchange.ConnectionTally>> tallies) {
    Histogram latency = new Histogram(3);
    Histogram serviceTime = new Histogram(3);
    long completed = 0;
    long errors = 0;
    long unsent = 0;
    long unanswered = 0;
    long delayedSends = 0;
    long maxSendLag = 0;
    long lastAnswer = schedule.measureStartNanos();
    long reconnects = 0;
    for (var future : tallies) {
      ScheduledExchange.ConnectionTally tally = future.join();
      latency.add(tally.latency());
      serviceTime.add(tally.serviceTime());
      completed += tally.completed();
      errors += tally.errors();
      unsent += tally.unsent();
      unanswered += tally.unanswered();
      delayedSends += tally.delayedSends();
      maxSendLag = Math.max(maxSendLag, tally.maxSendLagNanos());
      lastAnswer = Math.max(lastAnswer, tally.lastAnswerNanos());
      reconnects += tally.reconnects();
    }
    long windowNanos = lastAnswer - schedule.measureStartNanos();
    double achieved = windowNanos > 0 ? (completed + errors) * 1e9 / windowNanos : 0;
    return new LoadReport(
        plan.target().getHostString() + ":" + plan.target().getPort(),
        transport.name(),
        plan.rate(),
        achieved,
        plan.connections(),
        schedule.measuredSlots(),
        completed,
        errors,
        unsent,
        unanswered,
        delayedSends,
        TimeUnit.NANOSECONDS.toMicros(maxSendLag),
        LatencySummary.of(latency),
        LatencySummary.of(serviceTime),
        plan.protocol().label(),
        reconnects);
  }
}
