package dev.firemesh.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One connection's share of the schedule, kept across reconnects. It sends each of its slots when
 * due, whatever the responses are doing; when the connection has as many requests in flight as
 * allowed, or is down, due slots wait (a backlog that is only a counter, since slot times are
 * computed) and are sent as answers free room or once it is back. Latency is always measured from
 * the slot's intended time, so the wait is counted.
 *
 * <p>When the connection breaks, what was in flight on it counts as errors and it reconnects: at
 * once the first time, then backing off up to {@value #MAX_BACKOFF_MILLIS} ms while attempts fail
 * without an answer in between. A connection that the server closes after an answer ({@code
 * Connection: close}, GOAWAY) reconnects the same way without an error.
 *
 * <p>All state is owned by one event loop, which every connection of this exchange uses; the tally
 * is handed over through a future.
 */
final class ScheduledExchange {

  private static final long LATE_SEND_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  static final int MAX_BACKOFF_MILLIS = 100;

  /** Puts the protocol's handlers, ending with a {@link Wire} for this exchange, on a channel. */
  @FunctionalInterface
  interface WireInstaller {
    void install(ChannelPipeline pipeline, ScheduledExchange exchange);
  }

  private final int connection;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final SocketAddress target;
  private final long drainNanos;
  private final InFlight inFlight;
  private final CompletableFuture<ConnectionTally> result = new CompletableFuture<>();
  private final Runnable pumpTask = this::runPump;

  private final Histogram latency = new Histogram(3);
  private final Histogram serviceTime = new Histogram(3);
  private Schedule schedule;
  private Wire wire; // null while disconnected
  private long nextSlot;
  private long completed;
  private long errors;
  private long delayedSends;
  private long maxSendLagNanos;
  private long lastAnswerNanos;
  private long connects;
  private int failedAttempts;
  private boolean started;
  private boolean wakeupPending;
  private boolean pumpPending;
  private boolean done;
  private ScheduledFuture<?> drainDeadline;

  /**
   * @param connection this exchange's index among the plan's connections: it owns slots {@code
   *     connection, connection + n, ...}
   * @param bootstrap options and transport for its connections; its group is replaced by {@code
   *     loop}
   */
  ScheduledExchange(
      int connection,
      EventLoop loop,
      Bootstrap bootstrap,
      SocketAddress target,
      WireInstaller installer,
      int maxInFlight,
      long drainNanos) {
    this.connection = connection;
    this.nextSlot = connection;
    this.loop = loop;
    this.target = target;
    this.drainNanos = drainNanos;
    this.inFlight = new InFlight(maxInFlight);
    this.bootstrap =
        bootstrap
            .clone(loop)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    installer.install(ch.pipeline(), ScheduledExchange.this);
                  }
                });
  }

  CompletableFuture<ConnectionTally> result() {
    return result;
  }

  /**
   * Opens the first connection; the caller waits for it, to fail fast on a bad target. Later ones
   * are opened by the exchange itself.
   */
  ChannelFuture connectFirst() {
    return bootstrap.connect(target);
  }

  private void dial() {
    if (done) {
      return;
    }
    bootstrap
        .connect(target)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                failedAttempts++;
                reconnect();
              }
            });
  }

  /** Starts sending on the shared timetable. */
  void start(Schedule schedule) {
    loop.execute(() -> begin(schedule));
  }

  /** Stops sending and reconnecting, and closes the connection; what was sent is tallied. */
  void stop() {
    loop.execute(this::finish);
  }

  private void begin(Schedule schedule) {
    if (done) {
      return;
    }
    this.schedule = schedule;
    this.started = true;
    long deadline = schedule.lastSlotNanos() + drainNanos;
    drainDeadline = loop.schedule(this::finish, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    pump();
  }

  // ---- callbacks from the current wire, on the event loop

  void connected(Wire connected) {
    if (done || wire != null) {
      connected.close(); // finished, or a second connection that nobody asked for
      return;
    }
    wire = connected;
    connects++;
    pump();
  }

  /** The status of the answer to {@code key}, when its head arrives. */
  void status(Wire from, long key, int status) {
    if (from != wire) {
      return;
    }
    int position = inFlight.find(key);
    if (position >= 0) {
      inFlight.status(position, status);
    }
  }

  /** The answer to {@code key} is complete. */
  void answered(Wire from, long key) {
    if (from != wire) {
      return;
    }
    int position = inFlight.find(key);
    if (position < 0) {
      return;
    }
    int status = inFlight.status(position);
    account(inFlight.slot(position), inFlight.sentNanos(position), status >= 200 && status < 300);
    inFlight.remove(position);
    failedAttempts = 0; // the connection works: the next loss reconnects at once
    pumpSoon();
  }

  /** {@code key} will not be answered on this connection (its stream closed or never opened). */
  void ended(Wire from, long key) {
    if (from != wire) {
      return;
    }
    int position = inFlight.find(key);
    if (position >= 0) {
      account(inFlight.slot(position), 0, false);
      inFlight.remove(position);
    }
    pumpSoon();
  }

  /** The connection may take a request again, or has started to wind down. */
  void roomFreed(Wire from) {
    if (from == wire) {
      pumpSoon();
    }
  }

  void disconnected(Wire lost) {
    if (lost != wire) {
      return;
    }
    wire = null;
    // requests on a lost connection failed; the schedule carries on over a new one
    inFlight.clear(slot -> account(slot, 0, false));
    if (done) {
      return;
    }
    if (started && nextSlot >= schedule.totalSlots()) {
      finish();
      return;
    }
    // counted as a failure until an answer proves the new connection works, so a server that
    // accepts and drops connections is retried with backoff, not in a busy loop
    failedAttempts++;
    reconnect();
  }

  // ---- sending

  private void reconnect() {
    if (done) {
      return;
    }
    // the first retry at once (a proxy closing an idle connection), then 1, 2, 4... ms
    long delayMillis =
        failedAttempts <= 1 ? 0 : Math.min(MAX_BACKOFF_MILLIS, 1L << (failedAttempts - 2));
    if (delayMillis == 0) {
      dial();
    } else {
      loop.schedule(this::dial, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void pumpSoon() {
    if (!pumpPending) {
      pumpPending = true;
      loop.execute(pumpTask);
    }
  }

  private void runPump() {
    pumpPending = false;
    pump();
  }

  /** Sends every due slot there is room for, then sleeps until the next one is due. */
  private void pump() {
    if (done || !started) {
      return;
    }
    Wire current = wire;
    long now = System.nanoTime();
    if (current != null) {
      boolean wrote = false;
      while (nextSlot < schedule.totalSlots() && !inFlight.isFull() && current.canSend()) {
        long intended = schedule.intendedNanos(nextSlot);
        if (intended > now) {
          break;
        }
        long key = current.reserve();
        if (key < 0) {
          current.close(); // out of stream ids: a new connection has them all again
          break;
        }
        send(current, key, nextSlot, intended, now);
        nextSlot += schedule.connections();
        wrote = true;
        if (wire != current) {
          break; // the write failed and took the connection with it
        }
      }
      if (wrote && wire == current) {
        current.flush();
      }
      if (wire == current && current.draining() && inFlight.size() == 0) {
        current.close(); // asked to close and idle: reconnect for the rest of the schedule
        return;
      }
    }
    if (nextSlot >= schedule.totalSlots()) {
      if (inFlight.size() == 0) {
        finish();
      }
    } else if (wire != null && wire.canSend() && !inFlight.isFull() && !wakeupPending) {
      wakeupPending = true;
      loop.schedule(
          () -> {
            wakeupPending = false;
            pump();
          },
          schedule.intendedNanos(nextSlot) - now,
          TimeUnit.NANOSECONDS);
    }
    // otherwise the connection is full or down: an answer or a reconnect calls pump()
  }

  private void send(Wire current, long key, long slot, long intended, long now) {
    long lag = now - intended;
    if (schedule.measured(slot)) {
      maxSendLagNanos = Math.max(maxSendLagNanos, lag);
      if (lag > LATE_SEND_NANOS) {
        delayedSends++;
      }
    }
    inFlight.add(key, slot, now); // before the write, which may report its failure at once
    current.write(key);
  }

  private void account(long slot, long sentNanos, boolean success) {
    if (!schedule.measured(slot)) {
      return;
    }
    long now = System.nanoTime();
    lastAnswerNanos = now;
    if (success) {
      completed++;
      latency.recordValue(TimeUnit.NANOSECONDS.toMicros(now - schedule.intendedNanos(slot)));
      serviceTime.recordValue(TimeUnit.NANOSECONDS.toMicros(now - sentNanos));
    } else {
      errors++;
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (drainDeadline != null) {
      drainDeadline.cancel(false);
    }
    long unanswered = started ? inFlight.count(schedule::measured) : 0;
    long unsent = started ? schedule.measuredSlotsFrom(nextSlot) : 0;
    Wire current = wire;
    wire = null;
    if (current != null) {
      current.close();
    }
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
            lastAnswerNanos,
            Math.max(0, connects - 1)));
  }

  @Override
  public String toString() {
    return "connection " + connection;
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
      long lastAnswerNanos,
      long reconnects) {}
}
