package dev.firemesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One connection's share of the schedule. It sends each of its slots when due, whatever the
 * responses are doing; when the connection has {@code pipelineDepth} requests in flight, due slots
 * wait (a backlog that is only a counter, since slot times are computed) and are sent as responses
 * free room. Latency is always measured from the slot's intended time, so the wait is counted.
 *
 * <p>All state is owned by the channel's event loop; the tally is handed over through a future.
 */
final class ScheduledExchange extends SimpleChannelInboundHandler<HttpObject> {

  private static final long LATE_SEND_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Schedule schedule;
  private final String path;
  private final HttpHeaders headers;
  private final ByteBuf payload;
  private final long drainNanos;
  private final CompletableFuture<ConnectionTally> result = new CompletableFuture<>();

  // in-flight requests, oldest first: their slots and actual send times
  private final long[] inFlightSlot;
  private final long[] inFlightSent;
  private int inFlightHead;
  private int inFlightSize;

  private final Histogram latency = new Histogram(3);
  private final Histogram serviceTime = new Histogram(3);
  private long nextSlot;
  private long completed;
  private long errors;
  private long delayedSends;
  private long maxSendLagNanos;
  private long lastAnswerNanos;
  private int status;
  private boolean wakeupPending;
  private boolean done;
  private ScheduledFuture<?> drainDeadline;
  private ChannelHandlerContext ctx;

  ScheduledExchange(
      Schedule schedule,
      int connection,
      String path,
      HttpHeaders headers,
      ByteBuf payload,
      int pipelineDepth,
      long drainNanos) {
    this.schedule = schedule;
    this.nextSlot = connection;
    this.path = path;
    this.headers = headers;
    this.payload = payload;
    this.drainNanos = drainNanos;
    this.inFlightSlot = new long[pipelineDepth];
    this.inFlightSent = new long[pipelineDepth];
  }

  CompletableFuture<ConnectionTally> result() {
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Starts sending; call on the channel's event loop. */
  void start() {
    long deadline = schedule.lastSlotNanos() + drainNanos;
    drainDeadline =
        ctx.executor().schedule(this::finish, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    pump();
  }

  /** Sends every due slot there is room for, then sleeps until the next one is due. */
  private void pump() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    boolean wrote = false;
    while (nextSlot < schedule.totalSlots() && inFlightSize < inFlightSlot.length) {
      long intended = schedule.intendedNanos(nextSlot);
      if (intended > now) {
        break;
      }
      send(nextSlot, intended, now);
      nextSlot += schedule.connections();
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    if (nextSlot >= schedule.totalSlots()) {
      if (inFlightSize == 0) {
        finish();
      }
    } else if (inFlightSize < inFlightSlot.length && !wakeupPending) {
      wakeupPending = true;
      ctx.executor()
          .schedule(
              () -> {
                wakeupPending = false;
                pump();
              },
              schedule.intendedNanos(nextSlot) - now,
              TimeUnit.NANOSECONDS);
    }
    // otherwise the connection is full: the next response calls pump()
  }

  private void send(long slot, long intended, long now) {
    long lag = now - intended;
    if (schedule.measured(slot)) {
      maxSendLagNanos = Math.max(maxSendLagNanos, lag);
      if (lag > LATE_SEND_NANOS) {
        delayedSends++;
      }
    }
    int tail = (inFlightHead + inFlightSize) % inFlightSlot.length;
    inFlightSlot[tail] = slot;
    inFlightSent[tail] = now;
    inFlightSize++;
    ctx.write(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            path,
            payload.retainedDuplicate(),
            headers,
            EmptyHttpHeaders.INSTANCE),
        ctx.voidPromise());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (msg instanceof HttpResponse response) {
      status = response.decoderResult().isSuccess() ? response.status().code() : 0;
    }
    if (msg instanceof LastHttpContent && inFlightSize > 0) {
      answered(status >= 200 && status < 300);
      pump();
    }
  }

  private void answered(boolean success) {
    long now = System.nanoTime();
    long slot = inFlightSlot[inFlightHead];
    long sent = inFlightSent[inFlightHead];
    inFlightHead = (inFlightHead + 1) % inFlightSlot.length;
    inFlightSize--;
    if (!schedule.measured(slot)) {
      return;
    }
    lastAnswerNanos = now;
    if (success) {
      completed++;
      latency.recordValue(TimeUnit.NANOSECONDS.toMicros(now - schedule.intendedNanos(slot)));
      serviceTime.recordValue(TimeUnit.NANOSECONDS.toMicros(now - sent));
    } else {
      errors++;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // requests on a lost connection failed; its later slots are reported unsent by finish()
    while (inFlightSize > 0) {
      answered(false);
    }
    finish();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // channelInactive accounts for what was in flight
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (drainDeadline != null) {
      drainDeadline.cancel(false);
    }
    long unanswered = 0;
    for (int i = 0; i < inFlightSize; i++) {
      if (schedule.measured(inFlightSlot[(inFlightHead + i) % inFlightSlot.length])) {
        unanswered++;
      }
    }
    long unsent = schedule.measuredSlotsFrom(nextSlot);
    result.complete(
        new ConnectionTally(
            latency,
            serviceTime,
            completed,
            errors,
            unsent,
            unanswered,
            delayedSends,
            maxSendLagNanos,
            lastAnswerNanos));
  }

  /** What one connection saw; read only after its future completed. */
  record ConnectionTally(
      Histogram latency,
      Histogram serviceTime,
      long completed,
      long errors,
      long unsent,
      long unanswered,
      long delayedSends,
      long maxSendLagNanos,
      long lastAnswerNanos) {}
}
